// Package alert delivers alerts to webhooks: an HTTP POST of JSON,
// retried with backoff when the network or the receiver fails, never
// when the receiver refuses the alert. Every attempt carries the same
// idempotency key, so that a receiver can drop the duplicates a retry may
// cause.
package alert

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/armstrace/armstrace"
)

// Headers sent with every attempt.
const (
	// HeaderID carries the alert's idempotency key.
	HeaderID = "X-Armstrace-Alert-Id"
	// HeaderIdempotencyKey carries the same key under the name of the
	// IETF draft, for receivers that know it.
	HeaderIdempotencyKey = "Idempotency-Key"
	// HeaderAttempt says which attempt this is, from 1.
	HeaderAttempt = "X-Armstrace-Attempt"
)

// Defaults of Post.
const (
	DefaultTimeout    = 10 * time.Second // each attempt
	DefaultBackoff    = 500 * time.Millisecond
	DefaultMaxBackoff = 8 * time.Second
)

// Keyed is implemented by payloads that carry their own idempotency key,
// such as *armstrace.Alert.
type Keyed interface{ IdempotencyKey() string }

// Options tune PostWith.
type Options struct {
	Retries    int           // attempts after the first
	Timeout    time.Duration // of each attempt
	Backoff    time.Duration // before the first retry; doubled before each next one
	MaxBackoff time.Duration
	UserAgent  string
}

// Post sends payload as JSON to url, retrying up to retries times after
// the first attempt, with the default timeout and backoff.
func Post(ctx context.Context, client *http.Client, url string, payload any, retries int) error {
	return PostWith(ctx, client, url, payload, Options{Retries: retries})
}

// PostWith sends payload as JSON to url. A 2xx answer is success. Network
// errors, timeouts, 5xx and 429 answers are retried after a backoff that
// doubles from o.Backoff up to o.MaxBackoff (a 429's or 503's Retry-After
// in seconds is honoured within that bound); any other answer is a
// refusal and is not retried. The idempotency key is the payload's own
// (Keyed) or the SHA-256 of its JSON. Errors name the receiver by scheme
// and host only: webhook URLs often hold a secret in their path.
func PostWith(ctx context.Context, client *http.Client, target string, payload any, o Options) error {
	const op = "alert.Post"
	if client == nil {
		client = http.DefaultClient
	}
	if o.Retries < 0 {
		o.Retries = 0
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Backoff <= 0 {
		o.Backoff = DefaultBackoff
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	if o.UserAgent == "" {
		o.UserAgent = "armstrace-alert/1"
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &armstrace.Error{Code: armstrace.EINVALID, Op: op, Field: "webhook", Message: fmt.Sprintf("%q is not an http or https URL", Redact(target))}
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return &armstrace.Error{Code: armstrace.EINTERNAL, Op: op, Err: err}
	}
	key := ""
	if k, ok := payload.(Keyed); ok {
		key = k.IdempotencyKey()
	}
	if key == "" {
		sum := sha256.Sum256(body)
		key = "sha256:" + hex.EncodeToString(sum[:])
	}
	where := Redact(target)
	wait := o.Backoff
	var last error
	for attempt := 1; ; attempt++ {
		retry, after, err := once(ctx, client, target, body, key, attempt, o)
		if err == nil {
			return nil
		}
		last = err
		if !retry {
			return &armstrace.Error{Code: armstrace.EINVALID, Op: op, Field: "webhook", Message: fmt.Sprintf("%s refused the alert", where), Err: err}
		}
		if ctx.Err() != nil {
			return &armstrace.Error{Code: armstrace.EINTERNAL, Op: op, Message: fmt.Sprintf("posting to %s stopped after %d attempt(s)", where, attempt), Err: errors.Join(ctx.Err(), err)}
		}
		if attempt > o.Retries {
			break
		}
		d := wait
		if after > 0 {
			d = min(after, o.MaxBackoff)
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return &armstrace.Error{Code: armstrace.EINTERNAL, Op: op, Message: fmt.Sprintf("posting to %s stopped after %d attempt(s)", where, attempt), Err: errors.Join(ctx.Err(), last)}
		case <-t.C:
		}
		wait = min(2*wait, o.MaxBackoff)
	}
	return &armstrace.Error{Code: armstrace.EINTERNAL, Op: op, Message: fmt.Sprintf("%s did not take the alert in %d attempt(s)", where, o.Retries+1), Err: last}
}

// once makes one attempt. retry says whether a failure may be retried;
// after is the receiver's Retry-After, if it gave one.
func once(ctx context.Context, client *http.Client, target string, body []byte, key string, attempt int, o Options) (retry bool, after time.Duration, err error) {
	actx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return false, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", o.UserAgent)
	req.Header.Set(HeaderID, key)
	req.Header.Set(HeaderIdempotencyKey, key)
	req.Header.Set(HeaderAttempt, strconv.Itoa(attempt))
	resp, err := client.Do(req)
	if err != nil {
		// The network, a timeout, or a refused connection: worth another try.
		return true, 0, redactErr(err, target)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // lets the connection be reused
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return false, 0, nil
	}
	err = fmt.Errorf("HTTP %s: %s", resp.Status, strings.TrimSpace(string(text)))
	switch {
	case resp.StatusCode >= 500, resp.StatusCode == http.StatusTooManyRequests:
		if s, perr := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); perr == nil && s > 0 {
			after = time.Duration(s) * time.Second
		}
		return true, after, err
	}
	return false, 0, err
}

// Redact returns the scheme and host of a URL, without its user, path or
// query, which may hold a secret.
func Redact(target string) string {
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return "(a webhook URL)"
	}
	s := u.Scheme + "://" + u.Host
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		s += "/…"
	}
	return s
}

// redactErr removes the full URL from the client's error text.
func redactErr(err error, target string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s %s: %w", ue.Op, Redact(target), ue.Err)
	}
	return err
}
