// Package propsfuzz holds the fuzz test of the props validation of every ecsforge construct
// and pattern; it has no code of its own.
package propsfuzz
