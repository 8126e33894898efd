// Claims ingestion handler (placeholder body for the offline preview).
exports.handler = async (event) => {
    const records = (event && event.Records) || [];
    return { processed: records.length };
};
