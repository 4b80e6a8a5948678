package cli

func init() {
	registerCommand(func() *command {
		return &command{
			name:    "deploy",
			args:    "[dir]",
			summary: "check the Dockerfiles, systemd units and CI workflows under dir (default .) against the Go module they deploy",
			reports: true,
			steps:   []string{"dockerfile", "systemd", "workflow"},
		}
	})
}
