#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal and types a line at its password prompt.

    at_terminal.py PROMPT TYPED COMMAND [ARG...]

Waits until PROMPT has appeared and the terminal's echo is off (so the typed text cannot be
echoed), types TYPED and Enter, then passes the command's output through and exits with its
exit code. No fixed sleeps: the test is deterministic however slow the machine is.
"""
import os
import pty
import select
import sys
import termios
import time

prompt, typed, command = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(command[0], command)

output, sent, deadline = b"", False, time.time() + 120
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.05)
    if ready:
        try:
            data = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        output += data
    if not sent and prompt in output and not termios.tcgetattr(fd)[3] & termios.ECHO:
        os.write(fd, typed + b"\r")
        sent = True
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(output)
if not sent:
    sys.stdout.buffer.write(b"\nat_terminal.py: the prompt never appeared\n")
    sys.exit(125)
sys.exit(os.waitstatus_to_exitcode(status))
