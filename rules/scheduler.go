package rules

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	// The IANA time zone database, so that time zone names are checked the same on every
	// machine, with or without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// Documented ranges of an EventBridge Scheduler schedule (docSchedulerRetry, docSchedulerWindow,
// docScheduler).
const (
	MinEventAgeSeconds    = 60
	MaxEventAgeSeconds    = 86400
	MaxRetryAttempts      = 185
	MaxFlexibleWindowMins = 1440
	MaxScheduledTaskCount = 10
)

// sqsArn is DeadLetterConfig.Arn's documented pattern (docSchedulerDLQ).
var sqsArn = regexp.MustCompile(`^arn:aws[a-z-]*:sqs:[a-z0-9\-]+:\d{12}:[a-zA-Z0-9\-_]+$`)

// CheckTimeZone checks a schedule's time zone: a name of the IANA time zone database, as
// Scheduler takes it (docSchedulerTypes, "Time zones").
func CheckTimeZone(prop, tz string) error {
	if tz != "" && tz != "Local" && !strings.HasPrefix(tz, "/") {
		if _, err := time.LoadLocation(tz); err == nil {
			return nil
		}
	}
	return violation(SchedulerSchedule, prop, fmt.Sprintf("%q", tz), "is not a time zone of the IANA database (for example UTC, Europe/Berlin, Asia/Tokyo)").See(docSchedulerTypes)
}

// CheckRetryPolicy checks a schedule's retry policy (docSchedulerRetry).
func CheckRetryPolicy(ageProp string, ageSeconds int, attemptsProp string, attempts int) error {
	return errors.Join(
		inRange(SchedulerRanges, ageProp, ageSeconds, MinEventAgeSeconds, MaxEventAgeSeconds, " s"),
		inRange(SchedulerRanges, attemptsProp, attempts, 0, MaxRetryAttempts, ""))
}

// CheckFlexibleWindowDuration checks a flexible time window given as a duration: whole
// minutes, 1-1440 (docSchedulerWindow).
func CheckFlexibleWindowDuration(prop string, d time.Duration) error {
	if d%time.Minute != 0 {
		return violation(SchedulerRanges, prop, d.String(), "a flexible time window is a whole number of minutes").See(docSchedulerWindow)
	}
	return CheckFlexibleWindow(prop, int(d/time.Minute))
}

// CheckFlexibleWindow checks a flexible time window's maximum (docSchedulerWindow).
func CheckFlexibleWindow(prop string, minutes int) error {
	if err := inRange(SchedulerRanges, prop, minutes, 1, MaxFlexibleWindowMins, " min"); err != nil {
		return err.(*Violation).See(docSchedulerWindow)
	}
	return nil
}

// CheckScheduledTaskCount checks the task count of a scheduled ECS task (docScheduler).
func CheckScheduledTaskCount(prop string, n int) error {
	return inRange(ScheduledTask, prop, n, 1, MaxScheduledTaskCount, "")
}

// checkSchedule checks an AWS::Scheduler::Schedule: expression, time zone, flexible window,
// retry policy and dead-letter queue. Values behind intrinsics are not read.
func checkSchedule(rep *report, r *Resource) {
	if expr, ok := strOf(r.Get("ScheduleExpression")); ok {
		rep.from(r, CheckSchedulerExpression("ScheduleExpression", expr))
	}
	if tz, ok := strOf(r.Get("ScheduleExpressionTimezone")); ok {
		rep.from(r, CheckTimeZone("ScheduleExpressionTimezone", tz))
	}
	if mode, _ := strOf(r.Get("FlexibleTimeWindow.Mode")); mode == "FLEXIBLE" {
		if n, ok := intOf(r.Get("FlexibleTimeWindow.MaximumWindowInMinutes")); ok {
			rep.from(r, CheckFlexibleWindow("FlexibleTimeWindow.MaximumWindowInMinutes", n))
		}
	}
	checkDelivery(rep, r, "Target.", r.Get("Target"))
}

// checkDelivery checks the retry policy and dead-letter queue of a schedule's target or of an
// EventBridge rule's target: the same ranges and an SQS queue for both (docSchedulerRetry,
// docSchedulerDLQ; EventBridge API Reference, RetryPolicy and DeadLetterConfig).
func checkDelivery(rep *report, r *Resource, at string, target any) {
	if n, ok := intOf(lookup(target, "RetryPolicy.MaximumEventAgeInSeconds")); ok {
		rep.from(r, inRange(SchedulerRanges, at+"RetryPolicy.MaximumEventAgeInSeconds", n, MinEventAgeSeconds, MaxEventAgeSeconds, " s"))
	}
	if n, ok := intOf(lookup(target, "RetryPolicy.MaximumRetryAttempts")); ok {
		rep.from(r, inRange(SchedulerRanges, at+"RetryPolicy.MaximumRetryAttempts", n, 0, MaxRetryAttempts, ""))
	}
	checkDeadLetterArn(rep, r, at+"DeadLetterConfig.Arn", lookup(target, "DeadLetterConfig.Arn"))
}

// checkDeadLetterArn checks a dead-letter queue ARN: a literal must match the documented
// pattern; a reference must be Fn::GetAtt Queue.Arn of an AWS::SQS::Queue (Ref to a queue
// gives its URL). References to parameters, imports and other intrinsics are not read.
func checkDeadLetterArn(rep *report, r *Resource, prop string, v any) {
	if s, ok := strOf(v); ok {
		if !sqsArn.MatchString(s) {
			rep.add(SchedulerDeadLetter, r, prop, s, "is not the ARN of an SQS queue")
		}
		return
	}
	q := rep.t.Target(v)
	if q == nil {
		return
	}
	m, _ := v.(map[string]any)
	switch {
	case q.Type != "AWS::SQS::Queue":
		rep.add(SchedulerDeadLetter, r, prop, q.LogicalID, "refers to a %s, not an AWS::SQS::Queue", q.Type)
	case m["Ref"] != nil:
		rep.add(SchedulerDeadLetter, r, prop, "Ref "+q.LogicalID, "Ref to a queue gives its URL; the dead-letter queue takes its ARN (Fn::GetAtt %s.Arn)", q.LogicalID)
	}
}
