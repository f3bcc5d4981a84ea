"""The funding app's pages, one module per stage of an intervention's life: calls, applications,
assessments, decisions, interventions, requisitions, steering groups and attachments."""
