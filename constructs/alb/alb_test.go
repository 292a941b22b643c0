package alb

import (
	"strings"
	"testing"
)

func TestProtocolInference(t *testing.T) {
	if (Props{}).protocol() != HTTP || (Props{DomainName: "x.example.com"}).protocol() != HTTPS {
		t.Error("protocol inference: HTTP by default, HTTPS with a domain")
	}
	p := Props{Protocol: HTTP, DomainName: "x.example.com"}
	if err := p.ValidateAt("LB."); err == nil || !strings.Contains(err.Error(), `ECS201 LB.Protocol="HTTP": must be "HTTPS" (or unset) with a certificate or domain name`) {
		t.Errorf("got %v", err)
	}
	if err := (Props{Protocol: "FTP"}).ValidateAt(""); err == nil || !strings.Contains(err.Error(), `ECS201 Protocol="FTP": must be "HTTP" or "HTTPS"`) {
		t.Errorf("got %v", err)
	}
}

func TestDefaultsValid(t *testing.T) {
	if err := (Props{}).ValidateAt(""); err != nil {
		t.Errorf("defaults rejected: %v", err)
	}
	h := (Props{}).EffectiveHealthCheck()
	if h.Timeout >= h.Interval || h.HealthyThreshold != DefaultHealthyThreshold || h.Path != DefaultHealthCheckPath {
		t.Errorf("effective health check = %+v", h)
	}
}

func TestTestListenerValidation(t *testing.T) {
	for _, c := range []struct {
		tl   TestListener
		want []string
	}{
		{TestListener{Port: 80}, []string{"ECS030 TestListener.Port=80: the production listener uses ports 80 and 443", "ECS200 TestListener.AllowFrom=unset"}},
		{TestListener{Port: 70000}, []string{"ECS030 TestListener.Port=70000"}},
	} {
		err := Props{TestListener: &c.tl}.ValidateAt("")
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%+v: want %q in %v", c.tl, w, err)
			}
		}
	}
}
