"""The commented pantau.toml that `pantau init` writes."""

from __future__ import annotations

PANTAU_TOML = '''\
# pantau project file. Lines starting with # are comments.
# Docs: README.md ("Using pantau on your own data"). After editing, run `pantau status`:
# a mistake here is reported with the key it is under.

# Your own codebook (variables and coding guidelines for `pantau coding`, post function and
# topic keywords): copy the shipped codebook.toml (src/pantau/codebook.toml, see README
# "Coding and the codebook") into this folder, edit it, and uncomment the next line. Keep the
# values of the model variables (sentiment, question, toxicity, sara, comment_category): they
# are the models' labels that coders validate.
# codebook = "codebook.toml"

[election]
name = "{name}"
# A shipped rules file (pilkada-2024, pemilu-2024) or a path to your own TOML copy.
rules = "{rules}"
timezone = "Asia/Jakarta"   # times are shown in this zone (WIB)

# One [[candidates]] block per pair. `id` is what accounts refer to.
# [[candidates]]
# id = "pair-1"
# ballot_number = 1
# name = "Nama Calon"
# running_mate = "Nama Wakil"
# parties = ["Partai A", "Partai B"]
# color = "#1b9e77"          # used in every chart for this pair

# One [[accounts]] block per account you know. Matched to imported data by handle (case-
# insensitive, with or without @) or by id. role: official | candidate | party | volunteer |
# media | other. registered: listed with the KPU as an official campaign account.
# [[accounts]]
# candidate = "pair-1"
# platform = "tiktok"        # tiktok | instagram | facebook | x | youtube
# handle = "example_handle"
# role = "official"
# registered = true

# Events drawn on the timeline (debates, rallies).
# [[events]]
# name = "Debat publik pertama"
# date = 2024-11-01
# kind = "debate"

# Measured accuracy (pantau validate): a label whose precision against the coders is under
# the min_precision below carries no finding in the Summary; ci_width is the width of the 95%
# interval validation samples are sized for (0.20 = about ±10 points).
# [validation]
# min_precision = 0.70
# ci_width = 0.20

# Spreadsheets you made by hand: map your column names to pantau's fields.
# [[imports.mapping]]
# name = "my-sheet"
# match = "*.xlsx"           # which files this mapping applies to
# platform = "instagram"
# kind = "posts"             # posts | comments
# columns = {{ post_id = "Link", created_at = "Tanggal", text = "Caption", likes = "Suka" }}
# date_format = "%d/%m/%Y"
# decimal_comma = true       # Indonesian numbers: 1.234 = 1234, "1,2 rb" = 1200
'''
