package service

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ecsforge/ecsforge/rules"
)

func TestValidate(t *testing.T) {
	valid := Props{CapacityProviders: []Strategy{{Provider: Fargate, Base: 1, Weight: 1}, {Provider: FargateSpot, Weight: 3}},
		Scaling: &Scaling{Min: 2, Max: 10, Schedules: []Schedule{{Cron: "cron(0 8 * * ? *)", Min: new(4)}}}}
	if err := valid.Validate(); err != nil {
		t.Fatalf("valid props rejected: %v", err)
	}
	bad := Props{
		MinHealthyPercent: new(100), MaxPercent: new(100), DesiredCount: new(-1), ServiceName: "web.service",
		CapacityProviders: []Strategy{{Provider: "EC2", Weight: 0}, {Provider: FargateSpot, Weight: 0}},
		Scaling: &Scaling{Min: 1, Max: 0, TargetCPUPercent: 150,
			Schedules: []Schedule{{Min: new(5), Max: new(1)}}},
	}
	err := bad.ValidateAt("Service.")
	got := map[string]bool{}
	for _, v := range rules.Violations(err) {
		got[v.Rule.ID+" "+v.Property] = true
	}
	for _, w := range []string{"ECS041 Service.MaxPercent", "ECS042 Service.CapacityProviders", "ECS040 Service.Scaling.Min",
		"ECS043 Service.Scaling.TargetCPUPercent", "ECS040 Service.Scaling.Schedules[0].Min", "ECS053 Service.ServiceName"} {
		if !got[w] {
			t.Errorf("missing %s in %v", w, got)
		}
	}
	for _, w := range []string{"Service.DesiredCount=-1", `Service.CapacityProviders[0].Provider="EC2"`, "Service.Scaling.Max=0", "Service.Scaling.Schedules[0].Cron"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q", w)
		}
	}
}

func TestDeploymentValidation(t *testing.T) {
	for _, c := range []struct {
		d    Deployment
		want string // "" when valid
	}{
		{Deployment{Strategy: BlueGreen}, ""},
		{Deployment{Strategy: Canary, StepPercent: 0.1}, ""},
		{Deployment{Strategy: Linear, StepPercent: 50, StepBakeTime: 24 * time.Hour}, ""},
		{Deployment{Strategy: Linear, StepPercent: 3}, ""},
		{Deployment{Strategy: "ROLLOUT"}, "ECS201 Deployment.Strategy"},
		{Deployment{Strategy: Linear, StepPercent: 2.5}, "ECS097 Deployment.StepPercent=2.5 %: LINEAR shifts between 3 and 100"},
		{Deployment{Strategy: Canary, StepPercent: 12.34}, "multiples of 0.1"},
		{Deployment{Strategy: Canary, StepPercent: 150}, "between 0.1 and 100"},
		{Deployment{Strategy: BlueGreen, BakeTime: 25 * time.Hour}, ""},
		{Deployment{Strategy: Linear, StepPercent: 10, StepBakeTime: 4 * time.Hour, BakeTime: 0}, "over the 33 hours"},
		{Deployment{Strategy: Canary, StepBakeTime: 24 * time.Hour, BakeTime: 9*time.Hour + time.Minute}, "over the 33 hours"},
		{Deployment{Strategy: Canary, StepBakeTime: 24 * time.Hour, BakeTime: 9 * time.Hour}, ""},
		{Deployment{Strategy: BlueGreen, BakeTime: 90 * time.Second}, "whole, non-negative number of minutes"},
		{Deployment{Strategy: BlueGreen, StepPercent: 10}, "steps are for LINEAR and CANARY"},
		{Deployment{Strategy: Linear, StepBakeTime: -time.Minute}, "Deployment.StepBakeTime"},
	} {
		err := errors.Join(c.d.validate("")...)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: %v", c.d, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v: want %q, got %v", c.d, c.want, err)
		}
	}
}
