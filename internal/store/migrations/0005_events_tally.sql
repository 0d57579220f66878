-- Counting and finding a country's events over a period.
--
-- A covering index for counting events by day: a ceasefire report sums a
-- million events from this index alone, without reading their documents.
-- It begins with (country, date_start), so it replaces events_country and
-- an import writes no more index entries than before, only wider ones.
CREATE INDEX events_tally ON events (country, date_start, date_end, aggregate, id, fatalities_low, fatalities_best, fatalities_high);
DROP INDEX events_country;

-- The events that span several days (totals over a period, events dated
-- only to a range), by their last day: an event overlaps a period when it
-- starts inside it, or is such a span that starts before it and ends
-- inside or after it. With this index neither case scans the events that
-- started before the period.
CREATE INDEX events_spans ON events (date_end) WHERE date_start <> date_end OR aggregate = 1;
