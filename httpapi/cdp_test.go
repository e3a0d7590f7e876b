package httpapi_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// browser drives headless Chromium over the DevTools protocol on a pipe
// (--remote-debugging-pipe: the browser reads NUL-terminated JSON
// messages on fd 3 and writes them on fd 4). A pipe needs no port, no
// WebSocket client and no dependency, and it can do what --dump-dom
// cannot: log in through the form, keep the cookie, click links, and see
// every console message, uncaught exception and failed load as it happens.
type browser struct {
	t       *testing.T
	cmd     *exec.Cmd
	w       io.WriteCloser
	mu      sync.Mutex
	nextID  int
	pending map[int]chan cdpMsg
	events  []cdpMsg
	notify  chan struct{}
	session string
	done    chan struct{}
}

type cdpMsg struct {
	ID        int                       `json:"id,omitempty"`
	Method    string                    `json:"method,omitempty"`
	Params    json.RawMessage           `json:"params,omitempty"`
	Result    json.RawMessage           `json:"result,omitempty"`
	Error     *struct{ Message string } `json:"error,omitempty"`
	SessionID string                    `json:"sessionId,omitempty"`
}

// startBrowser launches Chromium with a fresh profile and opens one page.
func startBrowser(t *testing.T, path string) *browser {
	t.Helper()
	toBrowserR, toBrowserW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	fromBrowserR, fromBrowserW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--disable-default-apps", "--mute-audio", "--user-data-dir="+t.TempDir(), "--remote-debugging-pipe", "about:blank")
	cmd.ExtraFiles = []*os.File{toBrowserR, fromBrowserW} // fd 3, fd 4
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	toBrowserR.Close()
	fromBrowserW.Close()
	b := &browser{t: t, cmd: cmd, w: toBrowserW, pending: map[int]chan cdpMsg{}, notify: make(chan struct{}, 1), done: make(chan struct{})}
	go b.read(fromBrowserR)
	t.Cleanup(func() {
		b.callTimeout(5*time.Second, "", "Browser.close", nil)
		toBrowserW.Close()
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		if t.Failed() && stderr.Len() > 0 {
			s := stderr.String()
			t.Logf("chromium stderr (last 2000 bytes):\n%s", s[max(0, len(s)-2000):])
		}
	})
	// One page, attached in flat mode so that its commands go on this pipe.
	var target struct{ TargetID string }
	b.call("", "Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var att struct{ SessionID string }
	b.call("", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att)
	b.session = att.SessionID
	for _, m := range []string{"Page.enable", "Runtime.enable", "Log.enable"} {
		b.call(b.session, m, nil, nil)
	}
	return b
}

func (b *browser) read(r io.Reader) {
	defer close(b.done)
	br := bufio.NewReaderSize(r, 1<<20)
	for {
		raw, err := br.ReadBytes(0)
		if err != nil {
			return
		}
		var m cdpMsg
		if json.Unmarshal(raw[:len(raw)-1], &m) != nil {
			continue
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch := b.pending[m.ID]; ch != nil {
				ch <- m
				delete(b.pending, m.ID)
			}
		} else {
			b.events = append(b.events, m)
			select {
			case b.notify <- struct{}{}:
			default:
			}
		}
		b.mu.Unlock()
	}
}

func (b *browser) callTimeout(d time.Duration, session, method string, params any) (json.RawMessage, error) {
	b.mu.Lock()
	b.nextID++
	id := b.nextID
	ch := make(chan cdpMsg, 1)
	b.pending[id] = ch
	b.mu.Unlock()
	msg, _ := json.Marshal(cdpMsg{ID: id, Method: method, Params: mustJSON(params), SessionID: session})
	if _, err := b.w.Write(append(msg, 0)); err != nil {
		return nil, err
	}
	select {
	case m := <-ch:
		if m.Error != nil {
			return nil, fmt.Errorf("%s: %s", method, m.Error.Message)
		}
		return m.Result, nil
	case <-b.done:
		return nil, fmt.Errorf("%s: the browser went away", method)
	case <-time.After(d):
		return nil, fmt.Errorf("%s: no answer in %s", method, d)
	}
}

// call sends a command and decodes its result into out (when not nil).
func (b *browser) call(session, method string, params, out any) {
	b.t.Helper()
	res, err := b.callTimeout(30*time.Second, session, method, params)
	if err != nil {
		b.t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(res, out); err != nil {
			b.t.Fatalf("%s: %v", method, err)
		}
	}
}

func mustJSON(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	b, _ := json.Marshal(v)
	return b
}

// mark returns the number of events seen so far.
func (b *browser) mark() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.events)
}

// waitEvent waits for an event of the method after mark.
func (b *browser) waitEvent(from int, method string) {
	b.t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		b.mu.Lock()
		for _, m := range b.events[from:] {
			if m.Method == method && m.SessionID == b.session {
				b.mu.Unlock()
				return
			}
		}
		b.mu.Unlock()
		select {
		case <-b.notify:
		case <-deadline:
			b.t.Fatalf("no %s within 30 s", method)
		case <-b.done:
			b.t.Fatalf("the browser went away waiting for %s", method)
		}
	}
}

// problems lists the console errors and warnings, uncaught exceptions and
// failed loads (the Log domain reports those, and CSP violations) since mark.
func (b *browser) problems(from int) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, m := range b.events[from:] {
		switch m.Method {
		case "Runtime.consoleAPICalled":
			var p struct {
				Type string
				Args []struct {
					Value       any
					Description string
				}
			}
			json.Unmarshal(m.Params, &p)
			if p.Type == "error" || p.Type == "warning" || p.Type == "assert" {
				out = append(out, fmt.Sprintf("console.%s: %v", p.Type, p.Args))
			}
		case "Runtime.exceptionThrown":
			out = append(out, "uncaught exception: "+string(m.Params))
		case "Log.entryAdded":
			var p struct {
				Entry struct{ Level, Source, Text, URL string }
			}
			json.Unmarshal(m.Params, &p)
			if p.Entry.Level == "error" || p.Entry.Level == "warning" {
				out = append(out, fmt.Sprintf("%s %s: %s %s", p.Entry.Level, p.Entry.Source, p.Entry.Text, p.Entry.URL))
			}
		}
	}
	return out
}

// navigate loads a URL and waits for its load event.
func (b *browser) navigate(url string) {
	b.t.Helper()
	from := b.mark()
	var res struct{ ErrorText string }
	b.call(b.session, "Page.navigate", map[string]any{"url": url}, &res)
	if res.ErrorText != "" {
		b.t.Fatalf("navigating to %s: %s", url, res.ErrorText)
	}
	b.waitEvent(from, "Page.loadEventFired")
}

// eval evaluates a JavaScript expression in the page (the test's own
// script: the dashboard has none) and decodes its value into out.
func (b *browser) eval(expr string, out any) {
	b.t.Helper()
	var res struct {
		Result           struct{ Value json.RawMessage }
		ExceptionDetails *struct{ Text string }
	}
	b.call(b.session, "Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true}, &res)
	if res.ExceptionDetails != nil {
		b.t.Fatalf("evaluating %s: %s", expr, res.ExceptionDetails.Text)
	}
	if out != nil {
		if err := json.Unmarshal(res.Result.Value, out); err != nil {
			b.t.Fatalf("evaluating %s: %v (%s)", expr, err, res.Result.Value)
		}
	}
}

// act runs an expression that navigates (a click, a form submission) and
// waits for the next page's load event.
func (b *browser) act(expr string) {
	b.t.Helper()
	from := b.mark()
	b.eval(expr, nil)
	b.waitEvent(from, "Page.loadEventFired")
}

// screenshot saves a PNG of the page, for people checking the layout.
func (b *browser) screenshot(path string) {
	b.t.Helper()
	var res struct{ Data []byte }
	b.call(b.session, "Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true}, &res)
	if err := os.WriteFile(path, res.Data, 0o644); err != nil {
		b.t.Fatal(err)
	}
}
