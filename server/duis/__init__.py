"""DUIS XML: parse real DUIS request documents into core requests, and build DUIS responses and
alerts shaped for each user's interface version. Uses lxml; never imports grpc."""
