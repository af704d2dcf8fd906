#!/usr/bin/env python3
"""The bench's load for T5: in each network namespace named on the command
line, a CLOSE_WAIT leak (accepted connections whose peers closed, held and
never read) and TIME_WAIT (connections this side closed first), on loopback.
One process serves many namespaces: it enters each (setns through libc, the
sockets keep the namespace they were made in) and comes back. Prints one
line "ready" and then holds the sockets until stdin closes.

usage: maker.py CLOSE_WAIT TIME_WAIT NAMESPACE...
"""
import ctypes
import os
import resource
import socket
import sys

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def setns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns " + path)
    finally:
        os.close(fd)


def listener():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(4096)
    return s


def leak(close_wait, time_wait):
    held = []
    server = listener()
    port = server.getsockname()[1]
    for _ in range(close_wait):
        c = socket.create_connection(("127.0.0.1", port))
        a, _addr = server.accept()
        c.close()  # the peer closes: a becomes CLOSE_WAIT, held and never read
        held.append(a)
    held.append(server)
    tw_server = listener()
    tw_port = tw_server.getsockname()[1]
    for _ in range(time_wait):
        c = socket.create_connection(("127.0.0.1", tw_port))
        a, _addr = tw_server.accept()
        c.close()  # this side closes first: c's 4-tuple waits in TIME_WAIT
        a.close()
    held.append(tw_server)
    return held


def main():
    close_wait, time_wait = int(sys.argv[1]), int(sys.argv[2])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    held = []
    for name in sys.argv[3:]:
        setns("/run/netns/" + name)
        held.extend(leak(close_wait, time_wait))
        if libc.setns(home, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns back")
    print("ready", flush=True)
    sys.stdin.read()


main()
