-- Alerts raised by ceasefire watch: the deaths of a week rose above
-- their trailing baseline. One alert for a ceasefire, a day and a group
-- (all deaths, or the covered parties'), so that a day already alerted
-- is never posted again. Audited like every other write.
CREATE TABLE alerts (
	id           TEXT PRIMARY KEY,
	ceasefire_id TEXT NOT NULL REFERENCES ceasefires (id),
	day          TEXT NOT NULL,
	grp          TEXT NOT NULL,
	doc          TEXT NOT NULL,
	UNIQUE (ceasefire_id, day, grp)
);
