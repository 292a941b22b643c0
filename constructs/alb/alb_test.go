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
