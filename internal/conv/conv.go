// Package conv converts plain Go values into the pointers and CDK values jsii expects, so that
// no other package of ecsforge, and no user, needs jsii.String.
package conv

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// Str returns a jsii string.
func Str(s string) *string { return jsii.String(s) }

// OptStr returns nil for "" (unset), else a jsii string.
func OptStr(s string) *string {
	if s == "" {
		return nil
	}
	return jsii.String(s)
}

// Num returns a jsii number.
func Num(n int) *float64 { return jsii.Number(float64(n)) }

// OptNum returns nil for 0 (unset), else a jsii number.
func OptNum(n int) *float64 {
	if n == 0 {
		return nil
	}
	return Num(n)
}

// Bool returns a jsii boolean.
func Bool(b bool) *bool { return jsii.Bool(b) }

// Strs returns a jsii string list, or nil for an empty slice.
func Strs(v []string) *[]*string {
	if len(v) == 0 {
		return nil
	}
	return jsii.Strings(v...)
}

// StrMap returns a jsii string map, or nil for an empty map.
func StrMap(m map[string]string) *map[string]*string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]*string, len(m))
	for k, v := range m {
		out[k] = jsii.String(v)
	}
	return &out
}

// Seconds returns d as a CDK Duration in whole seconds.
func Seconds(d time.Duration) awscdk.Duration {
	return awscdk.Duration_Seconds(jsii.Number(float64(Secs(d))))
}

// OptSeconds returns nil for 0 (unset), else d as a CDK Duration.
func OptSeconds(d time.Duration) awscdk.Duration {
	if d == 0 {
		return nil
	}
	return Seconds(d)
}

// Secs returns d in whole seconds, rounded down.
func Secs(d time.Duration) int { return int(d / time.Second) }

// Or returns *p, or def when p is nil.
func Or[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// OrZero returns v, or def when v is the zero value.
func OrZero[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
