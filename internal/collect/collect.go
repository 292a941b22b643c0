// Package collect gathers values that jsii callbacks (validations, the validation plugin)
// report during a synthesis, so that the Go code that started the synthesis gets them as values.
package collect

import (
	"fmt"
	"sync"
)

// Collector gathers values of type T while Run runs. Runs do not nest.
type Collector[T any] struct {
	mu  sync.Mutex
	cur *[]T
}

// Add records vs when a Run is under way, and drops them otherwise.
func (c *Collector[T]) Add(vs ...T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur != nil {
		*c.cur = append(*c.cur, vs...)
	}
}

// Run runs f and returns what was added while it ran, and the panic f raised (jsii raises
// JavaScript errors as panics) as an error.
func (c *Collector[T]) Run(f func()) (got []T, err error) {
	c.mu.Lock()
	c.cur = &got
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.cur = nil
		c.mu.Unlock()
	}()
	err = Catch(f)
	return got, err
}

// Catch runs f and returns the panic it raised as an error, or nil.
func Catch(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = e
			} else {
				err = fmt.Errorf("%v", r)
			}
		}
	}()
	f()
	return nil
}
