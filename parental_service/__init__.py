"""parental_service: profiles, PINs, maturity levels, title blocks, viewing
schedules, the title catalogue and playback decisions."""
