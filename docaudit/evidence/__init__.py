"""Evidence: seals of the hash chain with RFC 3161 time-stamps, and packs a journalist can hand to anyone, who
checks them with sha256sum and openssl alone."""
