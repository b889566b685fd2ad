package kim

import (
	"errors"
	"fmt"
)

// Error codes of application errors.
const (
	EINVALID     = "invalid"      // malformed input
	ENOTFOUND    = "not_found"    // no such thing visible to the caller
	EFORBIDDEN   = "forbidden"    // the caller may not do this
	ECONFLICT    = "conflict"     // the state does not allow it
	EINTERNAL    = "internal"     // anything else; the user sees a short text
	EUNAVAILABLE = "unavailable"  // a dependency is down
	ERATELIMITED = "rate_limited" // too many requests
)

// Error is an application error: a machine code and a message key (with
// arguments) that the user sees in their language. Err carries the cause for
// the log, never for the user.
type Error struct {
	Code string
	Key  string         // message catalogue id
	Args map[string]any // template data for Key
	Err  error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Key, e.Err)
	}
	return e.Code + ": " + e.Key
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an application error with a code, a message key and its data.
func Errorf(code, key string, args map[string]any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// ErrorCode returns the code of an application error, EINTERNAL otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// ErrNotFound is returned by stores when a row does not exist for the caller.
var ErrNotFound = &Error{Code: ENOTFOUND, Key: "err.not_found"}
