// No test may contact an address other than 127.0.0.1: keep every credential chain
// away from the cloud metadata services.
process.env.AWS_EC2_METADATA_DISABLED = "true";
process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
