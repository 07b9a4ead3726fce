// Copyright (c) The terraform-provider-fog Authors
// SPDX-License-Identifier: MPL-2.0

package fogclient

import (
	"fmt"
	"strconv"
)

func idPath(class string, id int64, suffix string) string {
	return "/" + class + "/" + strconv.FormatInt(id, 10) + suffix
}

func checkID(what string, id int64) error {
	if id <= 0 {
		return fmt.Errorf("fogclient: %s id %d is not a valid id: %w", what, id, ErrInvalidArgument)
	}
	return nil
}

func idSet(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
