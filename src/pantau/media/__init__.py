"""Media beside the exports: images, videos and subtitle files linked to their posts, and the
text read from them (OCR of infographics and carousel slides, on-screen video text, subtitles).

    files.py      find media files and link them to posts (sidecar JSON or file names)
    library.py    tables, `add` and incremental `read`
    ocr.py        Tesseract tuned for social-media graphics
    video.py      ffmpeg keyframes, repeated on-screen lines merged
    subtitles.py  .vtt / .srt (yt-dlp, TikTok captions)
    imagetype.py  infographic / photo / video frame, an explainable tree
    fetch.py      `pantau media fetch`: the only command that uses the network
"""
