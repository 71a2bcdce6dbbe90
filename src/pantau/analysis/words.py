"""Words left out of the term counts: Indonesian function words, common informal spellings,
forms of address, and a few English ones. Written for pantau (not copied from a list)."""

from __future__ import annotations

_WORDS = """
ada adalah agar akan aku anda apa apakah atau bagaimana bahwa baru bawah begitu belum benar
berapa bersama beliau bisa boleh buat bukan cuma dalam dan dapat dari demi dengan di dia
dong ini itu jadi jangan juga kalau kalian kami kamu karena kan kapan ke kenapa ketika kita
lagi lah lain lalu mana masih mau mereka meski mengapa nah nanti oleh pada para pasti pula
punya saat saja sama sampai sangat saya se sebagai sedang sekali selalu semua sendiri seperti
siapa sih sudah supaya tapi tetapi tentang terus tidak untuk waktu walau ya yaitu yang
lebih paling hanya pun per serta setelah sebelum sejak hingga bila jika maka
tersebut nya dgn yg utk krn karna tdk gak ga gk nggak engga enggak ngga udah udh sdh blm aja
aj sj bgt banget deh kok loh lho tuh toh kak pak bu bapak ibu bang mas mbak min admin om tante
gan sis bro the and for you are this that with not have was what http https www com
"""
STOPWORDS = frozenset(_WORDS.split())
