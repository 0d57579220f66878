package ucdp

const (
	gedSyria   = "ucdp_ged_syria/ged_syria_652.1601.1911_2016-01-01_2019-11-30.csv"
	actorsFile = "ucdp_actors/ucdp-actor-221.csv"
)
