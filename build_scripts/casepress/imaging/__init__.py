"""Clinical images made fit to publish: DICOM windowed and de-identified (`dicom`), photos
stripped of their metadata (`photo`), resized copies for the page (`responsive`)."""
