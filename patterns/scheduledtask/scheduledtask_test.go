package scheduledtask

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsforge/ecsforge/constructs/capacity"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
	"github.com/ecsforge/ecsforge/rules"
)

// valid is a Fargate job with an image-less container: Validate does not look at images (an
// image is checked when the container is built), so no jsii value is needed here.
func valid() Props {
	return Props{
		Task:     taskdef.Props{Containers: []taskdef.Container{{Name: "job"}}},
		Schedule: Schedule{Expression: "cron(0 2 * * ? *)", TimeZone: "Asia/Tokyo"},
	}
}

func TestValidateDefaults(t *testing.T) {
	p := valid()
	p.Task.Containers[0].Image = nil
	for _, e := range rules.Leaves(p.Validate()) {
		if v, ok := e.(*rules.Violation); !ok || v.Property != "Task.Containers[0].Image" {
			t.Errorf("unexpected %v", e)
		}
	}
	n := p.normalized()
	if n.TaskCount != DefaultTaskCount || *n.Retry.MaxAttempts != DefaultRetryAttempts || n.Retry.MaxEventAge != DefaultMaxEventAge ||
		n.PlatformVersion != DefaultPlatformVersion || len(n.CapacityProviders) != 1 || n.CapacityProviders[0].Provider != service.Fargate {
		t.Errorf("defaults not applied: %+v", n)
	}
	if n := (Props{}).normalized(); n.Schedule.TimeZone != DefaultTimeZone {
		t.Errorf("time zone default %q", n.Schedule.TimeZone)
	}
}

func TestValidateEachMistake(t *testing.T) {
	ec2 := &capacity.Capacity{} // not built: only its presence matters to Validate
	for _, c := range []struct {
		name   string
		modify func(*Props)
		id     string
		prop   string
	}{
		{"no expression", func(p *Props) { p.Schedule.Expression = "" }, "ECS200", "Schedule.Expression"},
		{"seconds field", func(p *Props) { p.Schedule.Expression = "cron(0 0 2 * * ? *)" }, "ECS091", "Schedule.Expression"},
		{"time zone", func(p *Props) { p.Schedule.TimeZone = "JST" }, "ECS091", "Schedule.TimeZone"},
		{"end before start", func(p *Props) {
			p.Schedule.Start, p.Schedule.End = time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
		}, "ECS091", "Schedule.End"},
		{"window too long", func(p *Props) { p.Schedule.FlexibleWindow = 25 * time.Hour }, "ECS092", "Schedule.FlexibleWindow"},
		{"event age", func(p *Props) { p.Retry.MaxEventAge = 30 * time.Second }, "ECS092", "Retry.MaxEventAge"},
		{"event age fraction", func(p *Props) { p.Retry.MaxEventAge = 90*time.Second + time.Millisecond }, "ECS092", "Retry.MaxEventAge"},
		{"attempts", func(p *Props) { p.Retry.MaxAttempts = new(-1) }, "ECS092", "Retry.MaxAttempts"},
		{"task count", func(p *Props) { p.TaskCount = 11 }, "ECS090", "TaskCount"},
		{"reference id", func(p *Props) { p.ReferenceID = strings.Repeat("r", 1025) }, "ECS090", "ReferenceID"},
		{"EC2 provider on Fargate", func(p *Props) { p.CapacityProviders = []service.Strategy{{Provider: "my-asg", Weight: 1}} }, "ECS205", "CapacityProviders[0].Provider"},
		{"two bases", func(p *Props) {
			p.CapacityProviders = []service.Strategy{{Provider: service.Fargate, Base: 1, Weight: 1}, {Provider: service.FargateSpot, Base: 1, Weight: 1}}
		}, "ECS042", "CapacityProviders[1].Base"},
		{"placement on Fargate", func(p *Props) { p.PlacementStrategies = service.AZBalancedSpread }, "ECS044", "PlacementStrategies"},
		{"EC2 task without capacity", func(p *Props) { p.Task.Launch = taskdef.EC2 }, "ECS205", "Task.Launch"},
		{"Fargate provider on EC2", func(p *Props) {
			p.Capacity, p.CapacityProviders = ec2, []service.Strategy{{Provider: service.FargateSpot, Weight: 1}}
		}, "ECS205", "CapacityProviders[0].Provider"},
		{"platform version on EC2", func(p *Props) { p.Capacity, p.PlatformVersion = ec2, "1.4.0" }, "ECS205", "PlatformVersion"},
		{"Fargate task on capacity", func(p *Props) { p.Capacity, p.Task.Launch = ec2, taskdef.Fargate }, "ECS205", "Task.Launch"},
		{"bad placement on EC2", func(p *Props) {
			p.Capacity, p.PlacementStrategies = ec2, []service.PlacementStrategy{{Type: service.Binpack, Field: "disk"}}
		}, "ECS201", "PlacementStrategies[0]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := valid()
			c.modify(&p)
			var found bool
			for _, e := range rules.Leaves(p.Validate()) {
				v, ok := e.(*rules.Violation)
				if !ok {
					t.Fatalf("a violation without a rule: %v", e)
				}
				found = found || (v.Rule.ID == c.id && v.Property == c.prop)
			}
			if !found {
				t.Errorf("want %s on %s, got %v", c.id, c.prop, p.Validate())
			}
		})
	}
}
