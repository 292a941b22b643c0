package rules

// This file holds the rules on Elastic Load Balancing: target groups and listeners.

import (
	"fmt"
)

func checkTargetGroup(rep *report, r *Resource) {
	proto, _ := strOf(r.Get("Protocol"))
	alb := proto == "HTTP" || proto == "HTTPS"
	if tt, _ := strOf(r.Get("TargetType")); tt == "lambda" {
		return
	}
	for _, f := range []struct {
		key    string
		lo, hi int
	}{{"HealthCheckIntervalSeconds", 5, 300}, {"HealthCheckTimeoutSeconds", 2, 120}, {"HealthyThresholdCount", 2, 10}, {"UnhealthyThresholdCount", 2, 10}} {
		if v, ok := intOf(r.Get(f.key)); ok {
			rep.from(r, inRange(TargetGroupHealthCheck, f.key, v, f.lo, f.hi, ""))
		}
	}
	iv, ivOK := intOf(r.Get("HealthCheckIntervalSeconds"))
	to, toOK := intOf(r.Get("HealthCheckTimeoutSeconds"))
	if ivOK && toOK && alb && to >= iv {
		rep.add(TargetGroupHealthCheck, r, "HealthCheckTimeoutSeconds", to, "must be less than the interval (%d s)", iv)
	}
	if m, ok := strOf(r.Get("Matcher.HttpCode")); ok && alb && !validHTTPCodes(m) {
		rep.add(TargetGroupHealthCheck, r, "Matcher.HttpCode", m, `must be HTTP codes from 200 to 499, as "200", "200,202" or "200-299"`)
	}
	for i, a := range listOf(r.Get("TargetGroupAttributes")) {
		key, _ := strOf(lookup(a, "Key"))
		v, ok := intOf(lookup(a, "Value"))
		if !ok {
			continue
		}
		prop := fmt.Sprintf("TargetGroupAttributes.%d.Value", i)
		switch key {
		case "deregistration_delay.timeout_seconds":
			rep.from(r, CheckDeregistrationDelay(prop, v))
		case "stickiness.lb_cookie.duration_seconds":
			rep.from(r, inRange(StickinessDuration, prop, v, 1, 604800, " s"))
		}
	}
}

func checkListener(rep *report, r *Resource) {
	if p, _ := strOf(r.Get("Protocol")); p == "HTTPS" && len(listOf(r.Get("Certificates"))) == 0 && r.Get("Certificates") == nil {
		rep.add(HTTPSCertificate, r, "Certificates", "unset", "an HTTPS listener needs a default certificate")
	}
}
