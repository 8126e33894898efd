from lib.stack import RecordsStack

RecordsStack("records")
