package derive_test

import (
	"errors"

	"github.com/armstrace/armstrace"
)

func asError(err error, target **armstrace.Error) bool { return errors.As(err, target) }
