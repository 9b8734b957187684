"""The web console (issue 19): dccsim's own pages on its DUIS HTTP port."""
