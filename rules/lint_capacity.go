package rules

// This file holds the rules on EC2 capacity: capacity providers and launch templates.

import (
	"fmt"
	"strings"
)

func checkCapacityProvider(rep *report, r *Resource) {
	if n, ok := strOf(r.Get("Name")); ok {
		rep.from(r, CheckCapacityProviderName("Name", n))
	}
	asg := "AutoScalingGroupProvider."
	if v, ok := intOf(r.Get(asg + "ManagedScaling.TargetCapacity")); ok {
		rep.from(r, CheckTargetCapacity(asg+"ManagedScaling.TargetCapacity", v))
	}
	if mtp, _ := strOf(r.Get(asg + "ManagedTerminationProtection")); mtp != "ENABLED" {
		return
	}
	if st, ok := strOf(r.Get(asg + "ManagedScaling.Status")); (ok && st != "ENABLED") || absent(r.Properties, asg+"ManagedScaling.Status") {
		rep.add(CapacityProviderSettings, r, asg+"ManagedTerminationProtection", "ENABLED", "managed termination protection needs managed scaling (ManagedScaling.Status ENABLED)")
	}
	group := rep.t.Target(r.Get(asg + "AutoScalingGroupArn"))
	if group != nil && group.Type == "AWS::AutoScaling::AutoScalingGroup" {
		if b, ok := boolOf(group.Get("NewInstancesProtectedFromScaleIn")); absent(group.Properties, "NewInstancesProtectedFromScaleIn") || ok && !b {
			rep.add(CapacityProviderSettings, r, asg+"ManagedTerminationProtection", "ENABLED", "Auto Scaling group %s must protect new instances from scale-in (NewInstancesProtectedFromScaleIn: true)", group.LogicalID)
		}
	}
}

// checkLaunchTemplate reports shell user data on a Bottlerocket image. The image is known when
// ImageId refers to a template parameter whose default is a Bottlerocket SSM parameter path,
// as CDK's BottleRocketImage writes it.
func checkLaunchTemplate(rep *report, r *Resource) {
	img := r.Get("LaunchTemplateData.ImageId")
	ref, _ := lookup(img, "Ref").(string)
	param, _ := lookup(rep.t.raw, "Parameters."+ref+".Default").(string)
	if ref == "" || !strings.Contains(param, "/bottlerocket/") {
		return
	}
	if script := firstLiteral(r.Get("LaunchTemplateData.UserData")); shellLine(firstLine(strings.TrimSpace(script))) {
		rep.add(BottlerocketUserData, r, "LaunchTemplateData.UserData", firstLine(script), "image %s is Bottlerocket, which reads TOML settings, not a shell script", param)
	}
}

// firstLiteral returns the first literal string inside v (through Fn::Base64 and Fn::Join).
func firstLiteral(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		for _, e := range x {
			if s := firstLiteral(e); s != "" {
				return s
			}
		}
	case map[string]any:
		for _, k := range []string{"Fn::Base64", "Fn::Join", "Fn::Sub"} {
			if e, ok := x[k]; ok {
				return firstLiteral(e)
			}
		}
	}
	return ""
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

// checkAgentCluster warns on an Auto Scaling group capacity provider of a cluster whose
// instances' user data never names the cluster: the ECS agent then registers them with the
// cluster named "default" (ECS_CLUSTER, "Default value: default"; docAgentConfig), and the
// cluster's services find no instances. A custom image may carry its own
// /etc/ecs/ecs.config, which the template does not show, so this is a warning. User data
// with a value the rules cannot read is not checked.
func checkAgentCluster(rep *report) {
	t := rep.t
	for _, a := range t.SortedResources("AWS::ECS::ClusterCapacityProviderAssociations") {
		if a.Condition != "" {
			continue
		}
		cluster := t.Target(a.Get("Cluster"))
		if cluster == nil || cluster.Type != "AWS::ECS::Cluster" {
			continue
		}
		if n, ok := strOf(cluster.Get("ClusterName")); ok && n == "default" || !ok && !absent(cluster.Properties, "ClusterName") {
			continue
		}
		for i, p := range listOf(a.Get("CapacityProviders")) {
			cp := t.Target(p)
			if cp == nil || cp.Type != "AWS::ECS::CapacityProvider" {
				continue
			}
			asg := t.Target(cp.Get("AutoScalingGroupProvider.AutoScalingGroupArn"))
			if asg == nil || asg.Type != "AWS::AutoScaling::AutoScalingGroup" {
				continue
			}
			userData, known := instanceUserData(t, asg)
			if !known {
				continue
			}
			text := strings.Join(userData, "\n")
			if strings.Contains(text, "ECS_CLUSTER") || strings.Contains(text, "[settings.ecs]") {
				continue
			}
			rep.add(AgentCluster, a, fmt.Sprintf("CapacityProviders.%d", i), cp.LogicalID, "the user data of Auto Scaling group %s sets no ECS_CLUSTER, so its instances register with the cluster named default, not %s", asg.LogicalID, cluster.LogicalID)
		}
	}
}

// instanceUserData returns the literal strings of the user data an Auto Scaling group's
// launch template or launch configuration gives its instances; known is false when the
// template does not show them (no launch template of the template, or a value behind a
// parameter or another function).
func instanceUserData(t *Template, asg *Resource) (parts []string, known bool) {
	var ud any
	switch {
	case asg.Get("LaunchTemplate") == nil && !absent(asg.Properties, "LaunchTemplate"),
		asg.Get("LaunchConfigurationName") == nil && !absent(asg.Properties, "LaunchConfigurationName"):
		return nil, false // behind an intrinsic
	case !absent(asg.Properties, "LaunchTemplate"):
		lt := t.Target(asg.Get("LaunchTemplate.LaunchTemplateId"))
		if lt == nil || lt.Type != "AWS::EC2::LaunchTemplate" {
			return nil, false
		}
		ud = lt.Get("LaunchTemplateData.UserData")
		if ud == nil && !absent(lt.Properties, "LaunchTemplateData.UserData") {
			return nil, false
		}
	case !absent(asg.Properties, "LaunchConfigurationName"):
		lc := t.Target(asg.Get("LaunchConfigurationName"))
		if lc == nil || lc.Type != "AWS::AutoScaling::LaunchConfiguration" {
			return nil, false
		}
		ud = lc.Get("UserData")
		if ud == nil && !absent(lc.Properties, "UserData") {
			return nil, false
		}
	default:
		return nil, false // a mixed instances policy or an instance ID: not followed
	}
	known = true
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			parts = append(parts, x)
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			if !isIntrinsic(x) {
				for _, e := range x {
					walk(e)
				}
				return
			}
			for k, e := range x {
				switch k {
				case "Fn::Base64", "Fn::Join", "Fn::Sub":
					walk(e)
				case "Ref", "Fn::GetAtt":
					if t.Target(x) == nil {
						known = false // a parameter or import: it may carry the whole script
					}
				default:
					known = false
				}
			}
		}
	}
	walk(ud)
	return parts, known
}
