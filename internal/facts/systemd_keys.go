package facts

import "slices"

// SrcSystemdKeys cites where SystemdServiceKeys come from.
var SrcSystemdKeys = Source{Title: "systemd src/core/load-fragment-gperf.gperf.in: the [Unit] and [Service] keys (with the exec, cgroup and kill context keys) systemd parses; [Install] keys from src/shared/install.c", URL: "https://github.com/systemd/systemd/blob/main/src/core/load-fragment-gperf.gperf.in"}

// SystemdServiceKeys are the keys of a service unit's [Unit], [Service]
// and [Install] sections that systemd knows, as of the gperf table of
// SrcSystemdKeys (systemd 258 development). A key systemd-analyze on an
// older machine calls unknown but that is listed here is valid in a newer
// systemd; one that is in neither is a typo or from another tool.
var SystemdServiceKeys = map[string][]string{
	"Unit": {
		"Description", "Documentation", "SourcePath", "Requires", "Requisite", "Wants", "BindsTo", "BindTo",
		"Upholds", "Conflicts", "Before", "After", "OnSuccess", "OnFailure", "PropagatesReloadTo",
		"PropagateReloadTo", "ReloadPropagatedFrom", "PropagateReloadFrom", "PropagatesStopTo",
		"StopPropagatedFrom", "PartOf", "JoinsNamespaceOf", "RequiresOverridable", "RequisiteOverridable",
		"RequiresMountsFor", "WantsMountsFor", "StopWhenUnneeded", "RefuseManualStart", "RefuseManualStop",
		"AllowIsolate", "DefaultDependencies", "SurviveFinalKillSignal", "OnSuccessJobMode", "OnFailureJobMode",
		"OnFailureIsolate", "IgnoreOnIsolate", "IgnoreOnSnapshot", "JobTimeoutSec", "JobRunningTimeoutSec",
		"JobTimeoutAction", "JobTimeoutRebootArgument", "StartLimitIntervalSec", "StartLimitInterval",
		"StartLimitBurst", "StartLimitAction", "FailureAction", "SuccessAction", "FailureActionExitStatus",
		"SuccessActionExitStatus", "RebootArgument", "CollectMode",
		"ConditionPathExists", "ConditionPathExistsGlob", "ConditionPathIsDirectory", "ConditionPathIsSymbolicLink",
		"ConditionPathIsMountPoint", "ConditionPathIsReadWrite", "ConditionPathIsEncrypted", "ConditionDirectoryNotEmpty",
		"ConditionFileNotEmpty", "ConditionFileIsExecutable", "ConditionNeedsUpdate", "ConditionFirstBoot",
		"ConditionArchitecture", "ConditionFirmware", "ConditionVirtualization", "ConditionHost",
		"ConditionKernelCommandLine", "ConditionKernelVersion", "ConditionVersion", "ConditionCredential",
		"ConditionSecurity", "ConditionCapability", "ConditionACPower", "ConditionMemory", "ConditionCPUFeature",
		"ConditionCPUs", "ConditionEnvironment", "ConditionUser", "ConditionGroup", "ConditionControlGroupController",
		"ConditionOSRelease", "ConditionMemoryPressure", "ConditionCPUPressure", "ConditionIOPressure",
		"ConditionKernelModuleLoaded",
		"AssertPathExists", "AssertPathExistsGlob", "AssertPathIsDirectory", "AssertPathIsSymbolicLink",
		"AssertPathIsMountPoint", "AssertPathIsReadWrite", "AssertPathIsEncrypted", "AssertDirectoryNotEmpty",
		"AssertFileNotEmpty", "AssertFileIsExecutable", "AssertNeedsUpdate", "AssertFirstBoot", "AssertArchitecture",
		"AssertVirtualization", "AssertHost", "AssertKernelCommandLine", "AssertKernelVersion", "AssertVersion",
		"AssertCredential", "AssertSecurity", "AssertCapability", "AssertACPower", "AssertMemory", "AssertCPUFeature",
		"AssertCPUs", "AssertEnvironment", "AssertUser", "AssertGroup", "AssertControlGroupController",
		"AssertOSRelease", "AssertMemoryPressure", "AssertCPUPressure", "AssertIOPressure", "AssertKernelModuleLoaded",
	},
	"Service": slices.Concat([]string{
		"PIDFile", "ExecCondition", "ExecStartPre", "ExecStart", "ExecReload", "ExecStartPost", "ExecStop",
		"ExecStopPost", "RestartSec", "RestartSteps", "RestartMaxDelaySec", "TimeoutSec", "TimeoutStartSec",
		"TimeoutStopSec", "TimeoutAbortSec", "TimeoutStartFailureMode", "TimeoutStopFailureMode", "RuntimeMaxSec",
		"RuntimeRandomizedExtraSec", "WatchdogSec", "StartLimitInterval", "StartLimitBurst", "StartLimitAction",
		"FailureAction", "RebootArgument", "Type", "ExitType", "Restart", "RestartMode", "PermissionsStartOnly",
		"RootDirectoryStartOnly", "RemainAfterExit", "GuessMainPID", "RestartPreventExitStatus",
		"RestartForceExitStatus", "SuccessExitStatus", "SysVStartPriority", "NonBlocking", "BusName",
		"FileDescriptorStoreMax", "FileDescriptorStorePreserve", "NotifyAccess", "Sockets", "BusPolicy",
		"USBFunctionDescriptors", "USBFunctionStrings", "OOMPolicy", "OpenFile", "ReloadSignal",
	}, execContextKeys, cgroupContextKeys, killContextKeys),
	"Install": {"Alias", "WantedBy", "RequiredBy", "UpheldBy", "Also", "DefaultInstance"},
}

var execContextKeys = []string{
	"WorkingDirectory", "RootDirectory", "RootImage", "RootImageOptions", "RootImagePolicy", "RootHash",
	"RootHashSignature", "RootVerity", "RootEphemeral", "ExtensionDirectories", "ExtensionImages",
	"ExtensionImagePolicy", "MountImages", "MountImagePolicy", "User", "Group", "SupplementaryGroups",
	"SetLoginEnvironment", "Nice", "OOMScoreAdjust", "CoredumpFilter", "IOSchedulingClass", "IOSchedulingPriority",
	"CPUSchedulingPolicy", "CPUSchedulingPriority", "CPUSchedulingResetOnFork", "CPUAffinity", "NUMAPolicy",
	"NUMAMask", "UMask", "Environment", "EnvironmentFile", "PassEnvironment", "UnsetEnvironment", "DynamicUser",
	"RemoveIPC", "StandardInput", "StandardOutput", "StandardError", "StandardInputText", "StandardInputData",
	"TTYPath", "TTYReset", "TTYVHangup", "TTYVTDisallocate", "TTYRows", "TTYColumns", "SyslogIdentifier",
	"SyslogFacility", "SyslogLevel", "SyslogLevelPrefix", "LogLevelMax", "LogRateLimitIntervalSec",
	"LogRateLimitBurst", "LogExtraFields", "LogFilterPatterns", "Capabilities", "SecureBits",
	"CapabilityBoundingSet", "AmbientCapabilities", "TimerSlackNSec", "NoNewPrivileges", "KeyringMode",
	"ProtectProc", "ProcSubset", "PrivateBPF", "BPFDelegateCommands", "BPFDelegateMaps", "BPFDelegatePrograms",
	"BPFDelegateAttachments", "SystemCallFilter", "SystemCallArchitectures", "SystemCallErrorNumber",
	"SystemCallLog", "MemoryDenyWriteExecute", "RestrictNamespaces", "RestrictRealtime", "RestrictSUIDSGID",
	"RestrictAddressFamilies", "LockPersonality", "DelegateNamespaces", "RestrictFileSystems", "LandlockConfig",
	"LimitCPU", "LimitFSIZE", "LimitDATA", "LimitSTACK", "LimitCORE", "LimitRSS", "LimitNOFILE", "LimitAS",
	"LimitNPROC", "LimitMEMLOCK", "LimitLOCKS", "LimitSIGPENDING", "LimitMSGQUEUE", "LimitNICE", "LimitRTPRIO",
	"LimitRTTIME", "ReadWriteDirectories", "ReadOnlyDirectories", "InaccessibleDirectories", "ReadWritePaths",
	"ReadOnlyPaths", "InaccessiblePaths", "ExecPaths", "NoExecPaths", "ExecSearchPath", "BindPaths",
	"BindReadOnlyPaths", "TemporaryFileSystem", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables",
	"ProtectKernelModules", "ProtectKernelLogs", "ProtectClock", "ProtectControlGroups", "NetworkNamespacePath",
	"IPCNamespacePath", "LogNamespace", "PrivateNetwork", "PrivateUsers", "PrivateMounts", "PrivateIPC",
	"PrivatePIDs", "ProtectSystem", "ProtectHome", "MountFlags", "MountAPIVFS", "BindLogSockets", "Personality",
	"RuntimeDirectoryPreserve", "RuntimeDirectoryMode", "RuntimeDirectory", "StateDirectoryMode",
	"StateDirectoryAccounting", "StateDirectoryQuota", "StateDirectory", "CacheDirectoryMode",
	"CacheDirectoryAccounting", "CacheDirectoryQuota", "CacheDirectory", "LogsDirectoryMode",
	"LogsDirectoryAccounting", "LogsDirectoryQuota", "LogsDirectory", "ConfigurationDirectoryMode",
	"ConfigurationDirectory", "SetCredential", "SetCredentialEncrypted", "LoadCredential",
	"LoadCredentialEncrypted", "ImportCredential", "TimeoutCleanSec", "PAMName", "IgnoreSIGPIPE",
	"UtmpIdentifier", "UtmpMode", "SELinuxContext", "AppArmorProfile", "SmackProcessLabel", "ProtectHostname",
	"MemoryKSM",
}

var killContextKeys = []string{
	"SendSIGKILL", "SendSIGHUP", "KillMode", "KillSignal", "RestartKillSignal", "FinalKillSignal", "WatchdogSignal",
}

var cgroupContextKeys = []string{
	"Slice", "AllowedCPUs", "StartupAllowedCPUs", "AllowedMemoryNodes", "StartupAllowedMemoryNodes",
	"CPUAccounting", "CPUWeight", "StartupCPUWeight", "CPUShares", "StartupCPUShares", "CPUQuota",
	"CPUQuotaPeriodSec", "MemoryAccounting", "MemoryMin", "DefaultMemoryMin", "DefaultMemoryLow",
	"DefaultStartupMemoryLow", "MemoryLow", "StartupMemoryLow", "MemoryHigh", "StartupMemoryHigh", "MemoryMax",
	"StartupMemoryMax", "MemorySwapMax", "StartupMemorySwapMax", "MemoryZSwapMax", "StartupMemoryZSwapMax",
	"MemoryZSwapWriteback", "MemoryLimit", "DeviceAllow", "DevicePolicy", "IOAccounting", "IOWeight",
	"StartupIOWeight", "IODeviceWeight", "IOReadBandwidthMax", "IOWriteBandwidthMax", "IOReadIOPSMax",
	"IOWriteIOPSMax", "IODeviceLatencyTargetSec", "BlockIOAccounting", "BlockIOWeight", "StartupBlockIOWeight",
	"BlockIODeviceWeight", "BlockIOReadBandwidth", "BlockIOWriteBandwidth", "TasksAccounting", "TasksMax",
	"Delegate", "DelegateSubgroup", "DisableControllers", "IPAccounting", "IPAddressAllow", "IPAddressDeny",
	"IPIngressFilterPath", "IPEgressFilterPath", "ManagedOOMSwap", "ManagedOOMMemoryPressure",
	"ManagedOOMMemoryPressureLimit", "ManagedOOMMemoryPressureDurationSec", "ManagedOOMPreference", "NetClass",
	"BPFProgram", "SocketBindAllow", "SocketBindDeny", "RestrictNetworkInterfaces", "MemoryPressureThresholdSec",
	"MemoryPressureWatch", "NFTSet", "CoredumpReceive",
}

// SystemdKnowsKey reports whether a newer systemd knows key in section
// (SystemdServiceKeys).
func SystemdKnowsKey(section, key string) bool {
	return slices.Contains(SystemdServiceKeys[section], key)
}
