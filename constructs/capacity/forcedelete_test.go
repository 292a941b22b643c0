package capacity

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestForceDeleteDecision runs the handler's decision logic (forcedelete.js) under Node.js
// with fake SDK clients, for each way CloudFormation deletes the custom resource: only a stack
// deletion or a failed create's rollback force-deletes the group.
func TestForceDeleteDecision(t *testing.T) {
	node := os.Getenv("JSII_NODE")
	if node == "" {
		var err error
		if node, err = exec.LookPath("node"); err != nil {
			t.Skip("no Node.js: run make test, which installs it")
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.js"), []byte(forceDeleteJS), 0o644); err != nil {
		t.Fatal(err)
	}
	harness := `
const h = require('./index.js');
const cases = JSON.parse(process.argv[2]);
(async () => {
  const out = [];
  for (const c of cases) {
    const calls = [];
    const clients = {
      cloudformation: { describeStacks: async (p) => { calls.push('describe ' + p.StackName); return { Stacks: [{ StackStatus: c.status }] }; } },
      autoscaling: { deleteAutoScalingGroup: async (p) => { calls.push('delete ' + p.AutoScalingGroupName + ' force=' + p.ForceDelete); if (c.gone) throw new Error('AutoScalingGroup name not found'); } },
    };
    const r = await h.run({ RequestType: c.type, StackId: 'arn:stack/s', ResourceProperties: { AutoScalingGroupName: 'g' } }, clients);
    out.push({ action: r.action, calls });
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });`
	if err := os.WriteFile(filepath.Join(dir, "harness.js"), []byte(harness), 0o644); err != nil {
		t.Fatal(err)
	}
	type tc struct {
		Name   string `json:"-"`
		Type   string `json:"type"`
		Status string `json:"status"`
		Gone   bool   `json:"gone"`
		want   string
	}
	cases := []tc{
		{Name: "stack deletion", Type: "Delete", Status: "DELETE_IN_PROGRESS", want: "force-delete"},
		{Name: "stack deletion, group already gone", Type: "Delete", Status: "DELETE_IN_PROGRESS", Gone: true, want: "force-delete"},
		{Name: "failed create rolled back", Type: "Delete", Status: "ROLLBACK_IN_PROGRESS", want: "force-delete"},
		{Name: "resource removed or renamed in an update", Type: "Delete", Status: "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", want: "keep"},
		{Name: "update in progress", Type: "Delete", Status: "UPDATE_IN_PROGRESS", want: "keep"},
		{Name: "update rollback", Type: "Delete", Status: "UPDATE_ROLLBACK_IN_PROGRESS", want: "keep"},
		{Name: "update rollback cleanup", Type: "Delete", Status: "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", want: "keep"},
		{Name: "create", Type: "Create", Status: "CREATE_IN_PROGRESS", want: "keep"},
		{Name: "update", Type: "Update", Status: "UPDATE_IN_PROGRESS", want: "keep"},
	}
	in, _ := json.Marshal(cases)
	cmd := exec.Command(node, "harness.js", string(in))
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got []struct {
		Action string   `json:"action"`
		Calls  []string `json:"calls"`
	}
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(cases) {
		t.Fatalf("harness output %s: %v", out, err)
	}
	for i, c := range cases {
		g := got[i]
		deleted := len(g.Calls) > 0 && g.Calls[len(g.Calls)-1] == "delete g force=true"
		if g.Action != c.want || deleted != (c.want == "force-delete") {
			t.Errorf("%s: action %s, calls %v; want %s", c.Name, g.Action, g.Calls, c.want)
		}
		if (c.Type == "Delete") != (len(g.Calls) > 0 && g.Calls[0] == "describe arn:stack/s") {
			t.Errorf("%s: calls %v: only a Delete reads the stack status", c.Name, g.Calls)
		}
	}
}
