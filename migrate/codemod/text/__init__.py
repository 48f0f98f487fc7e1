"""Text: bytes in, bytes out. Decoding a file, splicing edits, writing literals, adding
imports and checking that a rewrite left everything else alone. Knows nothing of Pleo."""
