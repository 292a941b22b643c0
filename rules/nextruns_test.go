package rules

import (
	"strings"
	"testing"
	"time"
)

func TestNextRuns(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	// Friday 2026-12-04 10:00 in Tokyo (01:00 UTC).
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, tokyo)
	for _, c := range []struct {
		expr, tz string
		want     []string // in the time zone, "2006-01-02 15:04 Mon"
	}{
		{"cron(0 9 ? * MON-FRI *)", "Asia/Tokyo", []string{"2026-12-07 09:00 Mon", "2026-12-08 09:00 Tue", "2026-12-09 09:00 Wed"}},
		{"cron(0 2 * * ? *)", "Asia/Tokyo", []string{"2026-12-05 02:00 Sat", "2026-12-06 02:00 Sun", "2026-12-07 02:00 Mon"}},
		{"cron(0/20 10 * * ? *)", "Asia/Tokyo", []string{"2026-12-04 10:20 Fri", "2026-12-04 10:40 Fri", "2026-12-05 10:00 Sat"}},
		{"cron(0 8 ? * 3#2 *)", "Asia/Tokyo", []string{"2026-12-08 08:00 Tue", "2027-01-12 08:00 Tue", "2027-02-09 08:00 Tue"}},
		{"cron(0 0 L * ? *)", "Asia/Tokyo", []string{"2026-12-31 00:00 Thu", "2027-01-31 00:00 Sun", "2027-02-28 00:00 Sun"}},
		{"cron(0 12 15W * ? *)", "Asia/Tokyo", []string{"2026-12-15 12:00 Tue", "2027-01-15 12:00 Fri", "2027-02-15 12:00 Mon"}},
		{"cron(0 12 1W * ? *)", "Asia/Tokyo", []string{"2027-01-01 12:00 Fri", "2027-02-01 12:00 Mon", "2027-03-01 12:00 Mon"}},
		{"cron(30 18 ? * 6L *)", "Asia/Tokyo", []string{"2026-12-25 18:30 Fri", "2027-01-29 18:30 Fri", "2027-02-26 18:30 Fri"}},
		{"cron(0 0 1 1 ? 2028-2029)", "UTC", []string{"2028-01-01 00:00 Sat", "2029-01-01 00:00 Mon"}},
		{"cron(0 0 0 1 JAN ? *)", "UTC", []string{"2027-01-01 00:00 Fri", "2028-01-01 00:00 Sat", "2029-01-01 00:00 Mon"}},
		// 02:30 does not exist in Berlin on 2027-03-28 (clocks go from 02:00 to 03:00).
		{"cron(30 2 28 3 ? 2027)", "Europe/Berlin", []string{"2027-03-28 03:30 Sun"}},
		{"at(2027-01-01T09:00:00)", "Asia/Tokyo", []string{"2027-01-01 09:00 Fri"}},
		{"at(2026-01-01T09:00:00)", "Asia/Tokyo", nil},
	} {
		next, every, err := NextRuns(c.expr, c.tz, now, 3)
		if err != nil || every != "" {
			t.Errorf("%s: %v %q", c.expr, err, every)
			continue
		}
		loc, _ := time.LoadLocation(c.tz)
		var got []string
		for _, n := range next {
			got = append(got, n.In(loc).Format("2006-01-02 15:04 Mon"))
		}
		if strings.Join(got, ", ") != strings.Join(c.want, ", ") {
			t.Errorf("%s in %s: got %v, want %v", c.expr, c.tz, got, c.want)
		}
	}
	if _, every, err := NextRuns("rate(1 hour)", "UTC", now, 3); err != nil || every != "every 1 hour from the schedule's start" {
		t.Errorf("rate: %q %v", every, err)
	}
	for _, bad := range [][2]string{{"cron(0 2 * * *)", "UTC"}, {"cron(0 2 * * ? *)", "Mars/Olympus"}, {"", "UTC"}} {
		if _, _, err := NextRuns(bad[0], bad[1], now, 3); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

func TestSchedulesOfTemplate(t *testing.T) {
	tmpl, err := ParseTemplate("t", []byte(`
Parameters: {Expr: {Type: String}}
Resources:
  Nightly:
    Type: AWS::Scheduler::Schedule
    Properties: {ScheduleExpression: "cron(0 9 ? * MON-FRI *)", ScheduleExpressionTimezone: Asia/Tokyo, FlexibleTimeWindow: {Mode: "OFF"}}
  Hidden:
    Type: AWS::Scheduler::Schedule
    Properties: {ScheduleExpression: !Ref Expr, FlexibleTimeWindow: {Mode: "OFF"}}
  Rule:
    Type: AWS::Events::Rule
    Properties: {ScheduleExpression: "rate(5 minutes)"}
  Target:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ScheduledActions: [{Schedule: "cron(0 22 * * ? *)", Timezone: Europe/Berlin}]
`))
	if err != nil {
		t.Fatal(err)
	}
	got := Schedules(tmpl, time.Date(2026, 12, 4, 1, 0, 0, 0, time.UTC), 3)
	if len(got) != 3 {
		t.Fatalf("want 3 schedules (the parameter one unknown), got %+v", got)
	}
	if got[0].LogicalID != "Nightly" || len(got[0].Next) != 3 || got[0].Next[0].Format(time.RFC3339) != "2026-12-07T09:00:00+09:00" {
		t.Errorf("nightly: %+v", got[0])
	}
	if got[1].LogicalID != "Rule" || got[1].Every == "" || got[1].TimeZone != "UTC" {
		t.Errorf("rule: %+v", got[1])
	}
	if got[2].Property != "ScheduledActions.0.Schedule" || got[2].Next[0].Format(time.RFC3339) != "2026-12-04T22:00:00+01:00" {
		t.Errorf("scaling: %+v", got[2])
	}
}
