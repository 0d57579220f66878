package store_test

import (
	"testing"

	"github.com/armstrace/armstrace"
	"github.com/armstrace/armstrace/internal/store"
	"github.com/armstrace/armstrace/internal/store/storetest"
)

func TestReviewClaim(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		seed(t, s) // clm:sup is alleged
		ctx := ctxAs("user:rev")
		c, err := s.ReviewClaim(ctx, "clm:sup", armstrace.StatusVerified, "  two independent sources agree  ")
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != armstrace.StatusVerified || len(c.Reviews) != 1 || c.Reviews[0].From != armstrace.StatusAlleged || c.Reviews[0].Reviewer != "user:rev" || c.Reviews[0].Reason != "two independent sources agree" {
			t.Errorf("after review: %+v", c)
		}
		if _, err := s.ReviewClaim(ctxAs("user:other"), "clm:sup", armstrace.StatusContested, "the invoice is forged"); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindClaimByID(ctx, "clm:sup")
		if err != nil || got.Status != armstrace.StatusContested || len(got.Reviews) != 2 || got.Reviews[1].From != armstrace.StatusVerified {
			t.Errorf("stored: %+v %v", got, err)
		}
		for name, c := range map[string]struct {
			id     string
			to     armstrace.Status
			reason string
			code   string
		}{
			"no reason":   {"clm:sup", armstrace.StatusVerified, " ", armstrace.EINVALID},
			"same status": {"clm:sup", armstrace.StatusContested, "again", armstrace.ECONFLICT},
			"bad status":  {"clm:sup", "probable", "why not", armstrace.EINVALID},
			"no claim":    {"clm:none", armstrace.StatusVerified, "why", armstrace.ENOTFOUND},
		} {
			if _, err := s.ReviewClaim(ctx, c.id, c.to, c.reason); armstrace.ErrorCode(err) != c.code {
				t.Errorf("%s: %v, want %s", name, err, c.code)
			}
		}
		// Each review is an audited update: the history is in the log too.
		log, err := s.AuditLog(ctx, "claim", "clm:sup")
		if err != nil || len(log) != 3 || log[2].Actor != "user:other" {
			t.Errorf("audit: %d entries %v", len(log), err)
		}
		if rep, err := s.VerifyAudit(ctx); err != nil || !rep.OK() {
			t.Errorf("verify: %+v %v", rep, err)
		}
	})
}
