"""Import throughput against the floor any importer pays: parsing the same file with orjson.

Writes N synthetic Zeeschuimer TikTok records of realistic size (~8-9 KB each, like real
captures: nested author, music, video and bitrate blocks), imports them into a fresh project
through the real pipeline, and in the same run times parsing the file with orjson alone.
Prints records/s for both, their ratio, and peak RSS of the import (in a child process).
The import is the one `pantau import` runs: import_paths with the raw folder (the file is kept
and hashed) and a progress callback. CPU seconds are printed too: on a busy machine they vary
less than wall-clock times.

    .venv/bin/python benchmarks/ingest.py [--records 200000] [--keep DIR] [--data FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

WORDS = ["ayo", "dukung", "warga", "bekasi", "banjir", "macet", "program", "sekolah", "gratis",
         "kesehatan", "umkm", "pasar", "jalan", "rusak", "coblos", "nomor", "pilih", "kami",
         "siap", "kerja", "nyata", "bersama", "maju", "sejahtera"]


def synthetic_item(i: int, rng: random.Random) -> dict:
    video_id = str(7_400_000_000_000_000_000 + i)
    author_id = str(6_800_000_000_000_000_000 + rng.randrange(500))
    handle = f"akun_{int(author_id) % 500}"
    desc = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(8, 40)))
    bitrates = [
        {"Bitrate": rng.randrange(300_000, 2_000_000), "CodecType": "h264", "GearName": f"gear_{k}",
         "PlayAddr": {"DataSize": rng.randrange(10**6, 10**7), "Height": 1024, "Width": 576,
                      "Uri": f"v09044g40000{video_id}{k}", "UrlKey": f"{video_id}_h264_{k}",
                      "UrlList": [f"https://v16-webapp-prime.tiktok.com/video/tos/{video_id}/{k}/"
                                  f"?a=1988&bti=ODszNWYuMDE6&ch=0&cr=3&dr=0&lr=all&cd=0%7C0%7C0"
                                  f"&cv=1&br={k}&bt=1000&cs=0&ds=6&ft=4fUEKMvt8Zmo0&mime_type="
                                  f"video_mp4&qs=0&rc=ZGk8NGc3ZTM{k}&l=2024{i:08d}&btag=e00090000"
                                  for _ in range(3)]}}
        for k in range(4)
    ]
    return {
        "id": video_id, "desc": desc, "createTime": 1727222400 + i * 13,
        "author": {"id": author_id, "uniqueId": handle, "nickname": handle.title(),
                   "avatarThumb": f"https://p16-sign-sg.tiktokcdn.com/{author_id}~c5_100x100.jpeg"
                                  "?lk3s=a5d48078&nonce=12345&refresh_token=abcdef&x-expires=1730"
                                  "000000&x-signature=AbCdEf%3D&shp=a5d48078&shcp=81f88b70",
                   "signature": "Akun resmi kampanye. " * 3, "verified": False,
                   "secUid": "MS4wLjABAAAA" + "x" * 64, "privateAccount": False},
        "authorStats": {"followerCount": rng.randrange(100, 10**6), "followingCount": 12,
                        "heart": rng.randrange(10**6), "videoCount": rng.randrange(10, 900)},
        "stats": {"playCount": rng.randrange(10**6), "diggCount": rng.randrange(10**5),
                  "commentCount": rng.randrange(10**4), "shareCount": rng.randrange(10**4),
                  "collectCount": str(rng.randrange(10**4))},
        "music": {"id": str(7_000_000_000_000_000_000 + rng.randrange(2000)),
                  "title": "original sound - " + handle, "authorName": handle, "original": True,
                  "duration": 30, "playUrl": "https://sf16-ies-music-va.tiktokcdn.com/obj/"
                  + "m" * 80 + ".mp3", "coverLarge": "https://p16-sign.tiktokcdn.com/" + "c" * 120},
        "video": {"id": video_id, "duration": rng.randrange(5, 180), "height": 1024,
                  "width": 576, "ratio": "720p", "format": "mp4", "codecType": "h264",
                  "cover": "https://p16-sign-sg.tiktokcdn.com/obj/" + "k" * 160,
                  "dynamicCover": "https://p16-sign-sg.tiktokcdn.com/obj/" + "d" * 160,
                  "bitrateInfo": bitrates, "subtitleInfos": [], "volumeInfo": {"Loudness": -14.2,
                                                                               "Peak": 0.89}},
        "textExtra": [{"hashtagName": "bekasi", "type": 1, "start": 0, "end": 7},
                      {"hashtagName": "pilkada2024", "type": 1, "start": 8, "end": 20}],
        "challenges": [{"id": "1", "title": "bekasi", "desc": "", "coverLarger": "x" * 100}],
        "isAd": False, "duetEnabled": True, "stitchEnabled": True, "shareEnabled": True,
        "itemCommentStatus": 0, "textLanguage": "id",
    }


def write_file(path: Path, n: int) -> None:
    rng = random.Random(42)
    with open(path, "wb") as fh:
        for i in range(n):
            fh.write(orjson.dumps({
                "nav_index": f"1:1:{i}", "item_id": str(7_400_000_000_000_000_000 + i),
                "timestamp_collected": 1730000000000 + i, "source_platform": "tiktok.com",
                "source_platform_url": "https://www.tiktok.com/@akun/", "source_url":
                "https://www.tiktok.com/api/post/item_list/?aid=1988", "user_agent":
                "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
                "id": i, "data": synthetic_item(i, rng)}))
            fh.write(b"\n")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def parse_only(path: Path) -> tuple[int, float, float]:
    started, cpu = time.perf_counter(), cpu_seconds()
    n = 0
    with open(path, "rb") as fh:
        for line in fh:
            orjson.loads(line)
            n += 1
    return n, time.perf_counter() - started, cpu_seconds() - cpu


def child_import(project_dir: str, path: str) -> None:
    from pantau.ingest import import_paths
    from pantau.project import Project

    project = Project(Path(project_dir))
    con = project.connect()
    progressed = [0]

    def on_file_start(source, fmt, size):  # as the CLI's progress bar
        return lambda n: progressed.__setitem__(0, progressed[0] + n)

    started, cpu = time.perf_counter(), cpu_seconds()
    summaries = import_paths(con, project.config, [path], raw_dir=project.root / "raw",
                             on_file_start=on_file_start)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    con.close()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    s = summaries[0]
    assert s.status == "imported" and progressed[0] == Path(path).stat().st_size, s
    print(json.dumps({"seconds": seconds, "cpu": cpu, "records": s.records, "posts": s.posts,
                      "rejected": s.rejected, "peak_rss_mb": peak_kb / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--keep", help="keep the work folder here")
    parser.add_argument("--data", help="an NDJSON file written by an earlier run, used as is")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_import(*args.child)
        return
    work = Path(args.keep or tempfile.mkdtemp(prefix="pantau-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.data:
        data = Path(args.data)
    else:
        data = work / "zeeschuimer-tiktok.ndjson"
        t0 = time.perf_counter()
        write_file(data, args.records)
        size_mb = data.stat().st_size / 2**20
        print(f"wrote {args.records:,} records, {size_mb:,.0f} MB "
              f"({size_mb * 1024 / args.records:.1f} KB/record) "
              f"in {time.perf_counter() - t0:.1f} s")
    n, parse_s, parse_cpu = parse_only(data)
    parse_rate = n / parse_s
    print(f"orjson parse only: {parse_rate:,.0f} records/s ({parse_s:.1f} s, "
          f"{parse_cpu:.1f} s CPU)")
    project = work / "project"
    shutil.rmtree(project, ignore_errors=True)  # a fresh project every run
    project.mkdir()
    (project / "pantau.toml").write_text('[election]\nname = "bench"\n', encoding="utf-8")
    out = subprocess.run([sys.executable, __file__, "--child", str(project), str(data)],
                         check=True, capture_output=True, text=True, env=os.environ)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    import_rate = result["records"] / result["seconds"]
    print(f"pantau import:     {import_rate:,.0f} records/s ({result['seconds']:.1f} s, "
          f"{result['cpu']:.1f} s CPU, {result['posts']:,} posts, "
          f"{result['rejected']} rejected)")
    print(f"ratio import/parse: {import_rate / parse_rate:.2f} (target >= 0.5)")
    print(f"peak RSS of the import process: {result['peak_rss_mb']:,.0f} MB (target <= 1024 MB)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
