"""Which files are media (not exports): one definition for the importer, which leaves them to
`pantau media`, and for media linking. No imports: the lowest layers read it."""

KINDS = {
    ".jpg": "image", ".jpeg": "image", ".png": "image", ".webp": "image",
    ".mp4": "video", ".webm": "video", ".mov": "video", ".mkv": "video", ".m4v": "video",
    ".vtt": "subtitle", ".srt": "subtitle",
}
MEDIA_SUFFIXES = frozenset(KINDS)
