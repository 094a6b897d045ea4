-- Which file a draft was last read from, by identity (device and inode on Unix, and the file's
-- birth time where the file system records one, since a deleted file's inode number is soon given
-- to a new file): a rename or a move that the watcher only saw as one path vanishing and another
-- appearing (events merged in a burst, or the polling watcher) is followed by identity instead of
-- being guessed from the text.
ALTER TABLE drafts ADD COLUMN file_device INTEGER;
ALTER TABLE drafts ADD COLUMN file_inode INTEGER;
ALTER TABLE drafts ADD COLUMN file_born_ns INTEGER;

-- A file name that is not valid UTF-8 is kept losslessly: its raw bytes (the path relative to the
-- desk) here, and in `path` a display form with each undecodable byte written \xNN. NULL when the
-- name is valid UTF-8 (then `path` is the name itself).
ALTER TABLE drafts ADD COLUMN path_bytes BLOB;

CREATE INDEX drafts_by_file_identity ON drafts(desk_id, file_device, file_inode);
