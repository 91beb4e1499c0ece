"""The portal (CKAN): the API client, the dataset's payload, the publish sequence and the portal set-up."""
