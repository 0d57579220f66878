package store_test

import (
	"errors"

	"github.com/armstrace/armstrace"
)

func asError(err error, target **armstrace.Error) bool { return errors.As(err, target) }

func fieldOf(err error) string {
	var e *armstrace.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
