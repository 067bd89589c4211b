"""Platform-neutral machinery: clock, scheduler, store, contracts."""
