"""device_service: the device registry of every account, its bans, activity and downloads."""
