# Another process's view of QEMU-style image locks, for the tests (QEMU itself is not needed).
#   ofd_lock.py hold FILE BYTE...   read-lock each byte with F_OFD_SETLK, print "locked", wait for stdin to close
#   ofd_lock.py test FILE BYTE...   print, per byte, "BYTE free" or "BYTE locked" (F_OFD_GETLK with a write lock)
import fcntl, os, struct, sys

F_OFD_GETLK, F_OFD_SETLK = 36, 37
F_RDLCK, F_WRLCK, F_UNLCK = 0, 1, 2
FLOCK = "hhqqi4x"  # struct flock on Linux x86_64 and aarch64

mode, path, offsets = sys.argv[1], sys.argv[2], [int(b) for b in sys.argv[3:]]
fd = os.open(path, os.O_RDONLY)
for off in offsets:
    if mode == "hold":
        fcntl.fcntl(fd, F_OFD_SETLK, struct.pack(FLOCK, F_RDLCK, 0, off, 1, 0))
    else:
        got = fcntl.fcntl(fd, F_OFD_GETLK, struct.pack(FLOCK, F_WRLCK, 0, off, 1, 0))
        print(off, "free" if struct.unpack(FLOCK, got)[0] == F_UNLCK else "locked", flush=True)
if mode == "hold":
    print("locked", flush=True)
    sys.stdin.read()
