-- PLACEHOLDER, NOT TO SHIP: 0023 is the audithash branch's migration. The build refuses a gap in the numbers, so
-- this branch (rightsleft, whose migration is 0024) carries this empty stand-in; the merge drops this file and its
-- line in applied.sha256 for audithash's 0023.
SELECT 1;
