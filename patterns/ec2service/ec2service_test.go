package ec2service

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsforge/ecsforge/constructs/alb"
	"github.com/ecsforge/ecsforge/constructs/service"
	"github.com/ecsforge/ecsforge/constructs/taskdef"
)

func TestNormalized(t *testing.T) {
	p := Props{}.normalized()
	if p.Task.Launch != taskdef.EC2 || p.Task.NetworkMode != taskdef.AwsVpc || len(p.Service.EC2.PlacementStrategies) != 2 {
		t.Errorf("normalized = %+v %+v", p.Task, p.Service.EC2)
	}
	d := Props{Service: service.Props{EC2: &service.EC2{Daemon: true}}}.normalized()
	if d.Service.EC2.PlacementStrategies != nil {
		t.Errorf("a daemon got placement strategies: %v", d.Service.EC2.PlacementStrategies)
	}
}

func TestValidate(t *testing.T) {
	p := Props{
		Task:         taskdef.Props{NetworkMode: taskdef.Bridge, Containers: []taskdef.Container{{Name: "x"}}},
		Service:      service.Props{AssignPublicIP: true},
		LoadBalancer: &alb.Props{Stickiness: -time.Second},
	}
	err := p.Validate()
	for _, w := range []string{
		"ECS200 Capacity=unset: an EC2 service needs the EC2 capacity",
		"ECS200 Task.Containers[0].Ports=unset: a load balanced service needs the main container to expose a port",
		"ECS035 Service.AssignPublicIP=true",
		"ECS012 Task.Containers[0].MemoryMiB=unset",
		"ECS022 LoadBalancer.Stickiness=-1",
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%v", w, err)
		}
	}
}
