"""Indonesian social-media text basics.

    tokens      tokenize / tokenize_kinds: hashtags, mentions, URLs, emoji, numbers stay whole
    langid      detect(text) -> (id | en | other, score)
    normalize   normalize(text): informal -> standard Indonesian; informal_share(text)
    stem        stem(word), stem_text(text): PySastrawi, cached
    stopwords   stopwords(), remove_stopwords(words): negations and question words kept
    duplicates  duplicate_groups(texts): copy-paste groups at corpus scale

Modules are imported on use (`from pantau.text.normalize import normalize`), so importing
pantau.text costs nothing.
"""
