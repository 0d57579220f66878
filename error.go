package armstrace

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. They are few on purpose: each maps to one HTTP status in the
// web layer and to one exit status in the CLI, and callers branch on them
// with ErrorCode rather than on message text.
const (
	ECONFLICT     = "conflict"     // the write clashes with existing data
	EINTERNAL     = "internal"     // a bug or an outage; details are logged, never shown
	EINVALID      = "invalid"      // the input is wrong; the message says how
	ENOTFOUND     = "not_found"    // the thing asked for does not exist
	EUNAUTHORIZED = "unauthorized" // who you are is unknown
	EFORBIDDEN    = "forbidden"    // who you are may not do this
)

// Error is the one error type of armstrace. Message is safe to show to a
// user; Op and Err are for logs and for errors.Is/As.
type Error struct {
	Code    string
	Message string
	Field   string // the input field at fault, for EINVALID; a JSON path such as "aliases[1].script"
	File    string // the input file at fault, for errors in imports
	Line    int    // the line of File, from 1
	Op      string
	Err     error
}

func (e *Error) Error() string {
	var s string
	if e.Op != "" {
		s = e.Op + ": "
	}
	s += e.where()
	switch {
	case e.Message != "" && e.Err != nil:
		s += e.Message + ": " + e.Err.Error()
	case e.Message != "":
		s += e.Message
	case e.Err != nil:
		s += e.Err.Error()
	default:
		s += e.Code
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != "" {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err. Internal errors get a
// generic text so that internals never reach a user.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL && e.Code != "" {
		switch {
		case e.Message != "":
			return e.where() + e.Message
		case e.Err != nil:
			return e.where() + ErrorMessage(e.Err)
		}
		return e.where() + e.Code
	}
	return "internal error"
}

// invalid returns an EINVALID error about one field.
func invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// prefixField puts a parent path in front of the field of an EINVALID
// error, so that a nested problem reads "citations[2].source".
func prefixField(prefix string, err error) error {
	var e *Error
	if errors.As(err, &e) && e.Code == EINVALID {
		c := *e
		if c.Field == "" {
			c.Field = prefix
		} else if strings.HasPrefix(c.Field, "[") {
			c.Field = prefix + c.Field
		} else {
			c.Field = prefix + "." + c.Field
		}
		return &c
	}
	return err
}

// where renders the location of an error: "file.jsonl:12: field subject: ".
func (e *Error) where() string {
	var s string
	switch {
	case e.File != "" && e.Line > 0:
		s = fmt.Sprintf("%s:%d: ", e.File, e.Line)
	case e.File != "":
		s = e.File + ": "
	case e.Line > 0:
		s = fmt.Sprintf("line %d: ", e.Line)
	}
	if e.Field != "" {
		s += "field " + e.Field + ": "
	}
	return s
}

// AtLine places err at a line of an input file, keeping its code and
// field; internal errors stay internal.
func AtLine(file string, line int, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL && e.Code != "" {
		c := *e
		c.File, c.Line, c.Op = file, line, ""
		if c.Message == "" && c.Err != nil {
			c.Message = ErrorMessage(c.Err)
		}
		return &c
	}
	return &Error{Code: EINTERNAL, File: file, Line: line, Err: err}
}
