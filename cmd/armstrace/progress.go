package main

import (
	"fmt"
	"io"
	"time"
)

// progress draws a one-line progress bar on stderr while a long job runs,
// when stderr is a terminal; otherwise it stays silent, so that logs and
// pipes get no control characters.
type progress struct {
	a       *App
	label   string
	size    int64 // total bytes, or -1 when unknown
	read    int64
	records int
	last    time.Time
	shown   bool
}

func newProgress(a *App, label string, size int64) *progress {
	return &progress{a: a, label: label, size: size}
}

type countingReader struct {
	r io.Reader
	p *progress
}

func (c countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.read += int64(n)
	return n, err
}

func (p *progress) reader(r io.Reader) io.Reader { return countingReader{r, p} }

// count notes one record done and redraws at most ten times a second.
func (p *progress) count() {
	p.records++
	if !p.a.Interactive || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.draw()
}

func (p *progress) draw() {
	p.shown = true
	if p.size > 0 {
		frac := float64(p.read) / float64(p.size)
		if frac > 1 {
			frac = 1
		}
		const width = 30
		bar := make([]byte, width)
		for i := range bar {
			bar[i] = ' '
			if float64(i) < frac*width {
				bar[i] = '='
			}
		}
		fmt.Fprintf(p.a.Stderr, "\r%s [%s] %3.0f%% %d records", p.label, bar, frac*100, p.records)
		return
	}
	fmt.Fprintf(p.a.Stderr, "\r%s: %d records", p.label, p.records)
}

func (p *progress) done() {
	if p.shown {
		p.draw()
		fmt.Fprintln(p.a.Stderr)
	}
}
