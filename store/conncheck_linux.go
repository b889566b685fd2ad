package store

import (
	"errors"
	"net"
	"syscall"
)

// hangUp reports whether the server has hung up on c, or sent it something
// no statement asked for, as Postgres does when it restarts or fails over
// (a FATAL "terminating connection" and the end of the stream). An idle
// connection has nothing to read, so one peek at its socket, without a
// round trip, tells; a socket that cannot be read counts as hung up.
func hangUp(c net.Conn) bool {
	for {
		w, ok := c.(interface{ NetConn() net.Conn }) // TLS, test wrappers
		if !ok {
			break
		}
		c = w.NetConn()
	}
	sc, ok := c.(syscall.Conn)
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return true
	}
	// Control, not Read: pgconn's background reader may still be blocked
	// in a read of this idle socket (it is started when a write is slow and
	// cannot be interrupted), holding the read lock that Read would wait
	// for; a peek that does not wait needs no lock.
	var peekErr error
	var buf [1]byte
	if err := raw.Control(func(fd uintptr) {
		_, _, peekErr = syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	}); err != nil {
		return true
	}
	return !errors.Is(peekErr, syscall.EAGAIN) // EOF, bytes waiting, or an error
}
