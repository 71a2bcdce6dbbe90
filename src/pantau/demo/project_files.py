"""The demo project's own files: pantau.toml and README.txt, both saying the data is synthetic."""

from __future__ import annotations

from . import scenario as sc
from .writers import WrittenFile

TOML_HEADER = """\
# =============================================================================================
# DATA SINTETIS / SYNTHETIC DATA — a demo made by `pantau demo --seed {seed} --size {size}`.
# Every post, comment, account, handle and number in this project is invented by a program.
# The three pairs, their ballot numbers, parties and the dates are the public facts of the
# Pilkada Kota Bekasi 2024 (KPU); nothing here was written or posted by them or their teams.
# Do not cite any finding from this project as evidence about the real campaign.
# Semua unggahan, komentar, akun, dan angka di proyek ini dibuat oleh program (sintetis).
# =============================================================================================
"""


def _list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def pantau_toml(seed: int, size: str) -> str:
    lines = [TOML_HEADER.format(seed=seed, size=size)]
    lines.append(f"""
[election]
name = "{sc.ELECTION_NAME}"
rules = "pilkada-2024"
timezone = "Asia/Jakarta"
region = "Kota Bekasi"
""")
    for pair in sc.PAIRS:
        lines.append(f"""
[[candidates]]
id = "{pair.id}"
ballot_number = {pair.ballot_number}
name = "{pair.name}"
running_mate = "{pair.running_mate}"
parties = {_list(pair.parties)}
color = "{pair.color}"
""")
    lines.append("""
# Invented campaign accounts. role: official | candidate | party | volunteer | media.
# registered = listed with KPU Kota Bekasi as an official campaign account.""")
    for spec in sc.ACCOUNTS:
        block = ["", "[[accounts]]"]
        if spec.note:
            block.insert(1, f"# {spec.note}")
        if spec.pair:
            block.append(f'candidate = "{spec.pair}"')
        block += [f'platform = "{spec.platform}"', f'handle = "{spec.handle}"',
                  f'role = "{spec.role}"', f"registered = {'true' if spec.registered else 'false'}"]
        lines.append("\n".join(block) + "\n")
    lines.append("""
[[events]]
name = "Debat publik pertama"
date = 2024-11-01
kind = "debate"

[[events]]
name = "Debat publik kedua"
date = 2024-11-22
kind = "debate"
""")
    return "".join(lines)


README = """\
PANTAU DEMO — {marker}
{underline}

This folder was made by `pantau demo --seed {seed} --size {size}`. EVERYTHING IN IT IS
SYNTHETIC: every post, comment, account, handle, follower count and engagement number was
invented by a program to show what pantau does. The three pairs, their ballot numbers and
parties, the campaign calendar and the debate dates are the public facts of the Pilkada Kota
Bekasi 2024; nothing here was written or posted by the candidates, their teams or the public.
No public dataset of these candidates' posts exists. Do not cite anything from this folder as
evidence about the real election.

Folder ini dibuat oleh `pantau demo`. SEMUA ISINYA SINTETIS: unggahan, komentar, akun, dan
angka dibuat oleh program untuk memperagakan pantau. Hanya nama pasangan calon, nomor urut,
partai pengusung, dan jadwal Pilkada Kota Bekasi 2024 yang merupakan fakta publik. Jangan
mengutip isi folder ini sebagai bukti tentang pemilihan yang sebenarnya.

What is here
- pantau.toml   the project: the three pairs, {n_accounts} invented accounts on TikTok,
                Instagram, Facebook and X (one official TikTok account deliberately not
                registered with the KPU), the two debates.
- exports/      the corpus as the files real tools write, imported like your own data:
{files}
- pantau.duckdb the store after `pantau import exports/` (and enrich/analyze, when available)
- report.html   the report, when the report module is available

What the corpus contains, on purpose, so that every analysis has something to find
- posts from 23 Sep to 27 Nov 2024: a few before the campaign (ballot draw on 23 Sep), most in
  the campaign (25 Sep - 23 Nov) with peaks at the debates (1 and 22 Nov), some by official
  and volunteer accounts in the quiet period (24-26 Nov), a few on voting day (27 Nov);
- posts of every function (programme, blusukan, personal, mobilisation, endorsement, contrast,
  Q&A, greetings, humour), short videos re-using the same campaign jingle (one music id);
- comments with support, questions to the candidates (some answered by the candidate's own
  account, most not), local complaints (banjir, macet, sampah, jalan rusak, lapangan kerja),
  civil criticism, insults, a few mild SARA-flavoured attacks, and copy-pasted buzzer comments
  posted by several accounts within minutes;
- a second capture a week later of some TikTok and Instagram posts with higher counts, so the
  metrics show growth.

Notes on the formats
- TikTok, Instagram and X are Zeeschuimer NDJSON captures (TikTok videos and comment lists,
  Instagram's item-list media and web comments, X GraphQL tweets with their replies; a reply
  on X is stored both as a post of its author and as a comment under the thread).
- Facebook is a CrowdTangle CSV (41 columns; times in US Eastern with EST/EDT). CrowdTangle was
  shut down in August 2024, so a real file for this election would come from the Meta Content
  Library; the CrowdTangle layout is used because archives of it are common.

Try next (inside this folder; elsewhere add --project FOLDER)
  pantau status
  pantau query "SELECT platform, count(*) FROM posts GROUP BY 1"
  pantau report
  pantau serve
Same seed, same files: `pantau demo --seed {seed} --size {size} --out OTHER_DIR`.
"""


def readme(seed: int, size: str, files: list[WrittenFile]) -> str:
    title = f"{sc.SYNTHETIC_MARKER}"
    listing = "\n".join(
        f"    {f.path.parent.name}/{f.path.name}  ({f.format}, {f.records} records)"
        for f in files)
    return README.format(
        marker=title, underline="=" * (len("PANTAU DEMO — ") + len(title)), seed=seed,
        size=size, n_accounts=len(sc.ACCOUNTS), files=listing)
