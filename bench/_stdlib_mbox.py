"""The stdlib's single-process header parse of an mbox: the yardstick bench/parallel.py measures
`unblock inspect` against. Standard library only, run as its own process:

    python bench/_stdlib_mbox.py FILE

Streams the file line by line, cuts it into messages at each "From " line that
follows a blank line (the mbox rule, as an mbox reader must), and parses each
message with email.parser.BytesHeaderParser(policy=compat32), as bench/inspect.py's
stdlib floor does. Prints the number of messages to stderr.
"""

import sys
from email.parser import BytesHeaderParser
from email.policy import compat32


def main(path: str) -> int:
    parse = BytesHeaderParser(policy=compat32).parsebytes
    count = 0
    message: list[bytes] = []
    blank = True
    with open(path, "rb") as file:
        for line in file:
            if blank and line.startswith(b"From "):
                if message:
                    parse(b"".join(message))
                    count += 1
                message = []
                blank = False
                continue
            blank = line in (b"\n", b"\r\n")
            message.append(line)
    if message:
        parse(b"".join(message))
        count += 1
    print(count, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
