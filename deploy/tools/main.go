// deploytools: the checks deploy/kubernetes/check.sh runs besides kubeconform, offline.
//
//	deploytools compose [-print] FILE...
//	    loads each Compose file as `docker compose -f FILE --profile '*' config` does (compose-go:
//	    interpolation, YAML merges, the Compose specification's schema, consistency of depends_on,
//	    networks and volumes) and prints its services, or with -print the whole model
//	deploytools kustomize DIR
//	    prints what `kustomize build DIR` prints (krusty, default options)
//	deploytools replicas COMPOSE NGINX_CONF
//	    checks that each replica of the Compose file advertises itself under its own service name
//	    and that nginx's upstream lists exactly those replicas
//	deploytools envcheck SETTINGS_TS KUSTOMIZE_DIR COMPOSE...
//	    checks that every variable the manifests give the playground is one settings.ts reads
package main

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: deploytools compose [-print] FILE... | kustomize DIR | replicas COMPOSE NGINX_CONF | envcheck SETTINGS_TS KUSTOMIZE_DIR COMPOSE...")
		os.Exit(2)
	}
	var err error
	args := os.Args[2:]
	switch os.Args[1] {
	case "compose":
		print := args[0] == "-print"
		if print {
			args = args[1:]
		}
		for _, f := range args {
			if err = composeConfig(f, print); err != nil {
				break
			}
		}
	case "kustomize":
		var out []byte
		if out, err = kustomizeBuild(args[0]); err == nil {
			_, err = os.Stdout.Write(out)
		}
	case "replicas":
		if len(args) != 2 {
			err = fmt.Errorf("replicas needs COMPOSE and NGINX_CONF")
		} else {
			err = replicas(args[0], args[1])
		}
	case "envcheck":
		if len(args) < 3 {
			err = fmt.Errorf("envcheck needs SETTINGS_TS, KUSTOMIZE_DIR and COMPOSE files")
		} else {
			err = envcheck(args[0], args[1], args[2:])
		}
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "deploytools:", err)
		os.Exit(1)
	}
}

func loadCompose(file string) (*types.Project, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	// As `docker compose -f FILE config`: the file's folder is the project folder, the
	// environment and a .env there are read, and every profile is on so each service is checked.
	opts, err := cli.NewProjectOptions([]string{abs},
		cli.WithWorkingDirectory(filepath.Dir(abs)),
		cli.WithOsEnv,
		cli.WithDotEnv,
		cli.WithProfiles([]string{"*"}),
		cli.WithConsistency(true),
	)
	if err != nil {
		return nil, err
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return project, nil
}

func composeConfig(file string, print bool) error {
	project, err := loadCompose(file)
	if err != nil {
		return err
	}
	model, err := project.MarshalYAML()
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if print {
		_, err = os.Stdout.Write(model)
		return err
	}
	names := project.ServiceNames()
	sort.Strings(names)
	fmt.Printf("%s: project %s, services %s\n", file, project.Name, strings.Join(names, ", "))
	return nil
}

func kustomizeRun(dir string) (resmap.ResMap, error) {
	return krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
}

func kustomizeBuild(dir string) ([]byte, error) {
	resources, err := kustomizeRun(dir)
	if err != nil {
		return nil, err
	}
	return resources.AsYaml()
}

// isPlayground: a service of the playground image (not nginx or postgres).
func isPlayground(s types.ServiceConfig) bool {
	return strings.HasPrefix(s.Image, "higress-wasm-playground")
}

func replicas(composeFile, nginxConf string) error {
	project, err := loadCompose(composeFile)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, name := range project.ServiceNames() {
		s := project.Services[name]
		if !isPlayground(s) {
			continue
		}
		raw := s.Environment["PLAYGROUND_REPLICA_URL"]
		if raw == nil {
			return fmt.Errorf("%s: service %s has no PLAYGROUND_REPLICA_URL", composeFile, name)
		}
		u, err := url.Parse(*raw)
		if err != nil || u.Scheme != "http" || u.Hostname() != name || u.Port() == "" {
			return fmt.Errorf("%s: service %s advertises PLAYGROUND_REPLICA_URL=%s; want http://%s:<port>", composeFile, name, *raw, name)
		}
		want[u.Host] = true
	}
	if len(want) < 2 {
		return fmt.Errorf("%s: %d playground replicas; the file is about several", composeFile, len(want))
	}
	text, err := os.ReadFile(nginxConf)
	if err != nil {
		return err
	}
	got := map[string]bool{}
	server := regexp.MustCompile(`^\s*server\s+([^\s;]+)[^;]*;`)
	for _, line := range strings.Split(string(text), "\n") {
		if m := server.FindStringSubmatch(line); m != nil {
			got[m[1]] = true
		}
	}
	for h := range want {
		if !got[h] {
			return fmt.Errorf("%s: the upstream has no `server %s;` for the replica of %s", nginxConf, h, composeFile)
		}
	}
	for h := range got {
		if !want[h] {
			return fmt.Errorf("%s: `server %s;` is no replica of %s", nginxConf, h, composeFile)
		}
	}
	hosts := make([]string, 0, len(want))
	for h := range want {
		hosts = append(hosts, h)
	}
	sort.Strings(hosts)
	fmt.Printf("%s and %s: replicas %s\n", composeFile, nginxConf, strings.Join(hosts, ", "))
	return nil
}

// pendingSettings are read by the multi-replica server code that is being written; until
// settings.ts has them they are reported, not refused.
var pendingSettings = map[string]bool{"PLAYGROUND_REPLICA_URL": true, "PLAYGROUND_DRAIN_MS": true}

// internalVars are set only to be expanded into other variables ($(POD_IP)).
var internalVars = map[string]bool{"POD_IP": true}

func envcheck(settingsTS, kustomizeDir string, composeFiles []string) error {
	f, err := os.Open(settingsTS)
	if err != nil {
		return err
	}
	defer f.Close()
	known := map[string]bool{}
	decl := regexp.MustCompile(`^\s+([A-Z][A-Z0-9_]*):\s*(n|str|flag)\(`)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := decl.FindStringSubmatch(sc.Text()); m != nil {
			known[m[1]] = true
		}
	}
	if len(known) < 10 {
		return fmt.Errorf("%s: found only %d settings; has its format changed?", settingsTS, len(known))
	}

	used := map[string][]string{} // variable -> where
	resources, err := kustomizeRun(kustomizeDir)
	if err != nil {
		return err
	}
	for _, r := range resources.Resources() {
		where := kustomizeDir + ": " + r.GetKind() + " " + r.GetName()
		switch {
		case r.GetKind() == "ConfigMap" && r.GetName() == "playground-config":
			for k := range r.GetDataMap() {
				used[k] = append(used[k], where)
			}
		case r.GetKind() == "Deployment" && r.GetName() == "playground":
			m, err := r.Map()
			if err != nil {
				return err
			}
			for _, c := range nested(m, "spec", "template", "spec", "containers") {
				for _, e := range nested(c, "env") {
					if name, ok := e["name"].(string); ok {
						used[name] = append(used[name], where)
					}
				}
			}
		}
	}
	for _, file := range composeFiles {
		project, err := loadCompose(file)
		if err != nil {
			return err
		}
		for _, name := range project.ServiceNames() {
			if s := project.Services[name]; isPlayground(s) {
				for k := range s.Environment {
					used[k] = append(used[k], file+": "+name)
				}
			}
		}
	}
	var unknown []string
	names := make([]string, 0, len(used))
	for k := range used {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		switch {
		case known[k] || internalVars[k]:
		case pendingSettings[k]:
			fmt.Printf("note: %s is not in %s yet (the multi-replica change adds it)\n", k, settingsTS)
		default:
			unknown = append(unknown, fmt.Sprintf("%s (%s)", k, strings.Join(used[k], "; ")))
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("variables the server does not read (typos?): %s", strings.Join(unknown, ", "))
	}
	fmt.Printf("%d variables, all read by the server (%s)\n", len(names), settingsTS)
	return nil
}

// nested walks maps down keys and returns the list of maps at the end (nil when absent).
func nested(m map[string]any, keys ...string) []map[string]any {
	var cur any = m
	for _, k := range keys {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[k]
	}
	list, _ := cur.([]any)
	out := make([]map[string]any, 0, len(list))
	for _, x := range list {
		if mm, ok := x.(map[string]any); ok {
			out = append(out, mm)
		}
	}
	return out
}
