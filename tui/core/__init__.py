"""The analysis core: parsing, findings, the Case and its storage. Never imports textual."""
