// Replaced by the real command set (score, eval).
return 0;
